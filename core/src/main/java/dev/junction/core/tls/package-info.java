/**
 * TLS towards backends and for the gateway's own listener: {@link dev.junction.core.tls.TlsFiles} reads PEM
 * certificates and keys, PKCS#12 stores and key passwords, each failure a
 * {@link dev.junction.core.tls.TlsFileException} naming the file; {@link dev.junction.core.tls.TlsFailures} says why a
 * handshake failed.
 */
@NullMarked
package dev.junction.core.tls;

import org.jspecify.annotations.NullMarked;
