package io.pyrometer.cli;

import java.text.MessageFormat;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes {@link System.Logger} (backed by java.util.logging) to stderr as logfmt or JSON lines:
 * {@code time=... level=info source=Scrape msg="..." key=value}. Components write their
 * key=value pairs into the message; this class only frames them.
 */
public final class Logging {
    private Logging() {}

    /** Configures the root logger from {@code --log.level} and {@code --log.format}. */
    public static void configure(String level, String format) {
        Level lvl = switch (level.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("invalid --log.level \"" + level + "\": use debug, info, warn or error");
        };
        boolean json = switch (format) {
            case "logfmt" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("invalid --log.format \"" + format + "\": use logfmt or json");
        };
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        // a StreamHandler on stderr that flushes per record and never closes stderr
        // (ConsoleHandler.setOutputStream would close System.err)
        Handler h = new StreamHandler(System.err, new LineFormatter(json)) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush();
            }

            @Override
            public synchronized void close() {
                flush();
            }
        };
        h.setLevel(lvl);
        root.addHandler(h);
        root.setLevel(lvl);
        // third-party chatter stays at warn unless debugging
        if (lvl != Level.FINE) {
            Logger.getLogger("io.vertx").setLevel(Level.WARNING);
            Logger.getLogger("io.netty").setLevel(Level.WARNING);
        }
    }

    static final class LineFormatter extends Formatter {
        private final boolean json;

        LineFormatter(boolean json) { this.json = json; }

        @Override
        public String format(LogRecord r) {
            String msg = r.getMessage();
            if (r.getParameters() != null && r.getParameters().length > 0) {
                try {
                    msg = MessageFormat.format(msg.replace("'", "''"), r.getParameters());
                } catch (IllegalArgumentException ignored) {
                    // keep the raw message
                }
            }
            String level = switch (r.getLevel().intValue()) {
                case 1000 -> "error";
                case 900 -> "warn";
                case 800 -> "info";
                default -> "debug";
            };
            String src = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
            // first word of the message is the text; key=value pairs follow it
            String text = msg, kv = "";
            int firstKv = firstKeyValue(msg);
            if (firstKv > 0) {
                text = msg.substring(0, firstKv).trim();
                kv = msg.substring(firstKv);
            }
            StringBuilder sb = new StringBuilder(128);
            String time = Instant.ofEpochMilli(r.getMillis()).toString();
            if (json) {
                sb.append("{\"time\":\"").append(time).append("\",\"level\":\"").append(level).append("\",\"source\":\"")
                        .append(src).append("\",\"msg\":\"").append(escape(text)).append("\",\"kv\":\"").append(escape(kv)).append("\"}");
            } else {
                sb.append("time=").append(time).append(" level=").append(level).append(" source=").append(src)
                        .append(" msg=\"").append(escape(text)).append('"');
                if (!kv.isEmpty()) sb.append(' ').append(kv);
            }
            if (r.getThrown() != null) sb.append(json ? "" : " err=\"" + escape(r.getThrown().toString()) + "\"");
            return sb.append('\n').toString();
        }

        private static int firstKeyValue(String msg) {
            int eq = msg.indexOf('=');
            if (eq < 0) return -1;
            int sp = msg.lastIndexOf(' ', eq);
            return sp < 0 ? -1 : sp + 1;
        }

        private static String escape(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }
    }
}
