package dev.junction.undertow.transport;

import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import dev.junction.core.spi.BackendTls;

/**
 * An SSL context whose engines are a route's {@link BackendTls#newEngine} for one backend host: Undertow's TLS
 * wrapper asks its context for an engine, and this one hands out engines that verify that host (or the route's
 * server name) and send SNI, whatever address Undertow names, and remember why a handshake failed
 * ({@link RecordingEngine}).
 */
final class TlsEngines extends SSLContextSpi {

    private final BackendTls tls;
    private final String host;

    private TlsEngines(BackendTls tls, String host) {
        this.tls = tls;
        this.host = host;
    }

    /** Returns the context of {@code tls}'s engines towards {@code host}. */
    static SSLContext of(BackendTls tls, String host) {
        SSLContext base = tls.context();
        return new SSLContext(new TlsEngines(tls, host), base.getProvider(), base.getProtocol()) {
        };
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
            throws KeyManagementException {
        throw new KeyManagementException("already initialised by its route's TLS configuration");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return new RecordingEngine(tls.newEngine(host, -1));
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String peerHost, int port) {
        return new RecordingEngine(tls.newEngine(host, port));
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return tls.context().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return tls.context().getServerSocketFactory();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return tls.context().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return tls.context().getClientSessionContext();
    }
}
