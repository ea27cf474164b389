package io.pyrometer.alerting.notify;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The MIME encodings Alertmanager's email uses: Go's {@code mime.QEncoding}, {@code quotedprintable.Writer}, multipart boundaries. */
final class MimeEncoding {
    private MimeEncoding() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * {@code mime.QEncoding.Encode("utf-8", s)}: unchanged when every byte is printable ASCII (or
     * tab), else encoded words {@code =?utf-8?q?...?=} of at most 75 characters, split between
     * characters, joined by a space.
     */
    static String qEncodeHeader(String s) {
        boolean needs = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < ' ' || c > '~') && c != '\t') needs = true;
        }
        if (!needs) return s;
        StringBuilder out = new StringBuilder();
        StringBuilder word = new StringBuilder();
        final int max = 75 - "=?utf-8?q?".length() - "?=".length();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            StringBuilder enc = new StringBuilder();
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                int v = b & 0xff;
                if (v == ' ') enc.append('_');
                else if (v >= '!' && v <= '~' && v != '=' && v != '?' && v != '_') enc.append((char) v);
                else enc.append('=').append(HEX[v >> 4]).append(HEX[v & 15]);
            }
            if (word.length() + enc.length() > max) {
                if (!out.isEmpty()) out.append(' ');
                out.append("=?utf-8?q?").append(word).append("?=");
                word.setLength(0);
            }
            word.append(enc);
        }
        if (!out.isEmpty()) out.append(' ');
        return out.append("=?utf-8?q?").append(word).append("?=").toString();
    }

    /**
     * Go's {@code quotedprintable.Writer} in text mode: line breaks become CRLF, lines longer than
     * 76 characters get soft breaks ({@code =} CRLF), {@code =}, non-ASCII and control bytes are
     * {@code =XX}, a space or tab before a line break is encoded.
     */
    static String quotedPrintable(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(b.length + b.length / 8);
        int lineLen = 0;
        for (int i = 0; i < b.length; i++) {
            int v = b[i] & 0xff;
            if (v == '\r' && i + 1 < b.length && b[i + 1] == '\n') continue; // CRLF handled at the LF
            if (v == '\n') {
                out.append("\r\n");
                lineLen = 0;
                continue;
            }
            boolean beforeBreak = i + 1 == b.length || b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n');
            String enc;
            if ((v >= '!' && v <= '~' && v != '=') || ((v == ' ' || v == '\t') && !beforeBreak)) enc = String.valueOf((char) v);
            else enc = "=" + HEX[v >> 4] + HEX[v & 15];
            if (lineLen + enc.length() > 75) { // keep room for the soft break's '='
                out.append("=\r\n");
                lineLen = 0;
            }
            out.append(enc);
            lineLen += enc.length();
        }
        return out.toString();
    }

    /** A random 60-hex-digit boundary, as Go's {@code multipart.Writer} makes (30 random bytes). */
    static String boundary(Random r) {
        byte[] b = new byte[30];
        r.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }
}
