package io.pyrometer.alerting.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of an RFC 5322 address list ({@code Ops <ops@example.org>, oncall@example.org}),
 * what Alertmanager takes from Go's {@code mail.ParseAddressList} for MAIL FROM and RCPT TO.
 * Covers display names (quoted or not) and angle addresses; groups and comments are not supported.
 */
final class MailAddresses {
    private MailAddresses() {}

    static List<String> parseList(String what, String field, String list) throws NotifyException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"' && (i == 0 || list.charAt(i - 1) != '\\')) quoted = !quoted;
            else if (!quoted && c == '<') angle++;
            else if (!quoted && c == '>') angle--;
            if (c == ',' && !quoted && angle == 0) {
                out.add(address(what, field, cur.toString()));
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(address(what, field, cur.toString()));
        return out;
    }

    private static String address(String what, String field, String s) throws NotifyException {
        String a = s.strip();
        int lt = a.lastIndexOf('<');
        if (lt >= 0) {
            int gt = a.indexOf('>', lt);
            if (gt < 0) throw NotifyException.permanent(what + ": parse '" + field + "' addresses: mail: unclosed angle-addr [address=" + a + "]");
            a = a.substring(lt + 1, gt).strip();
        }
        if (a.isEmpty()) throw NotifyException.permanent(what + ": parse '" + field + "' addresses: mail: no address");
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1 || a.indexOf(' ') >= 0) {
            throw NotifyException.permanent(what + ": parse '" + field + "' addresses: mail: missing '@' or angle-addr [address=" + a + "]");
        }
        return a;
    }
}
