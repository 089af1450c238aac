package dev.junction.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS server over UDP on 127.0.0.1 and a free port, authoritative for the records a test sets and changes while it
 * runs: A and SRV records, an answer that a name does not exist ({@code NXDOMAIN}) for any other name, and
 * {@code SERVFAIL} for everything while {@link #failing} is set. Real DNS messages, parsed and written with dnsjava.
 */
public final class DnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    /** Every query answered. */
    public final AtomicInteger queries = new AtomicInteger();

    private DnsServer() throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts a server with no records. */
    public static DnsServer start() {
        try {
            return new DnsServer();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot open a UDP socket on 127.0.0.1", e);
        }
    }

    /** Returns where the server listens, as {@code client.dns.servers} names it: {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Sets the A records of {@code name} (such as {@code local.test.}), each kept {@code ttl} seconds. */
    public void a(String name, long ttl, String... addresses) {
        List<Record> set = new ArrayList<>();
        for (String address : addresses) {
            try {
                set.add(new ARecord(name(name), DClass.IN, ttl, InetAddress.getByName(address)));
            } catch (IOException e) {
                throw new IllegalArgumentException(address, e);
            }
        }
        records.put(key(name, Type.A), set);
    }

    /**
     * Sets the SRV records of {@code name} ({@code _http._tcp.app.test.}), each as {@code priority weight port
     * target}.
     */
    public void srv(String name, long ttl, String... entries) {
        List<Record> set = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split("\\s+");
            set.add(new SRVRecord(name(name), DClass.IN, ttl, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]), name(parts[3])));
        }
        records.put(key(name, Type.SRV), set);
    }

    /** Removes every record of {@code name}: it no longer exists. */
    public void remove(String name) {
        records.keySet().removeIf(key -> key.startsWith(name(name).toString().toLowerCase() + " "));
    }

    /** Answers every query with {@code SERVFAIL} while {@code fail} is set. */
    public void failing(boolean fail) {
        failing.set(fail);
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static String key(String name, int type) {
        return name(name).toString().toLowerCase() + " " + type;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] answer = answer(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength())));
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                queries.incrementAndGet();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        if (failing.get()) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response.toWire();
        }
        String name = question.getName().toString().toLowerCase();
        List<Record> found = records.get(name + " " + question.getType());
        if (found != null) {
            found.forEach(record -> response.addRecord(record, Section.ANSWER));
        } else if (records.keySet().stream().noneMatch(key -> key.startsWith(name + " "))) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return response.toWire();
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
