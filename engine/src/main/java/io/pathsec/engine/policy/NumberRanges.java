package io.pathsec.engine.policy;

/** Reads "n" or "n-m" for port and ICMP type/code selectors. */
final class NumberRanges {
    private NumberRanges() {
    }

    /** @return {low, high} */
    static int[] parse(String text, int max, String what) {
        int dash = text.indexOf('-');
        int low = parseNumber(dash < 0 ? text : text.substring(0, dash), max, what, text);
        int high = dash < 0 ? low : parseNumber(text.substring(dash + 1), max, what, text);
        if (low > high) {
            throw new IllegalArgumentException(what + " range '" + text + "' starts after it ends");
        }
        return new int[] {low, high};
    }

    private static int parseNumber(String s, int max, String what, String whole) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 5 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + whole + "' is not a " + what + ", a " + what
                    + " range like 1024-65535, or 'any'");
        }
        int v = Integer.parseInt(t);
        if (v > max) {
            throw new IllegalArgumentException(what + " must be 0-" + max + ", got " + v);
        }
        return v;
    }
}
