package dev.junction.core.tls;

import java.io.ByteArrayOutputStream;

/**
 * Wraps a PKCS#1 RSA private key ({@code BEGIN RSA PRIVATE KEY}, as {@code openssl genrsa} wrote it before 3.0) into
 * the PKCS#8 structure the JDK reads: {@code SEQUENCE { INTEGER 0, SEQUENCE { rsaEncryption, NULL }, OCTET STRING }}.
 */
final class Pkcs1 {

    /** {@code SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }}: the rsaEncryption algorithm identifier. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pkcs1() {
    }

    static byte[] toPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(VERSION_0);
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(element(0x04, pkcs1));
        return element(0x30, body.toByteArray());
    }

    /** Returns a DER element: its tag, its length (short or long form) and its content. */
    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
