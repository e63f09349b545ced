package io.cutover.edge;

/** Client text made safe for one log line: control bytes (CR, LF, NUL, ...) and non-ASCII are escaped. */
public final class LogSafe {

    private static final int MAX = 512;

    private LogSafe() {
    }

    /** The text with {@code \r}, {@code \n}, {@code \t}, {@code \\} and other bytes outside printable ASCII escaped, cut at {@value MAX} characters. */
    public static String escape(CharSequence s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder out = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (s.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
