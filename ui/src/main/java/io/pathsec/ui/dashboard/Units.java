package io.pathsec.ui.dashboard;

import java.util.Locale;

/** Numbers as people read them: 1.2 MB, 8.4 Mbit/s, 12,345. */
public final class Units {
    private Units() {
    }

    public static String bytes(long n) {
        return scaled(n, 1000, "B", "kB", "MB", "GB", "TB");
    }

    public static String bitsPerSecond(double n) {
        return scaled(n, 1000, "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s");
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String scaled(double n, double step, String... names) {
        int i = 0;
        double v = n;
        while (Math.abs(v) >= step && i < names.length - 1) {
            v /= step;
            i++;
        }
        return i == 0 ? String.format(Locale.ROOT, "%.0f %s", v, names[0])
                : String.format(Locale.ROOT, "%.1f %s", v, names[i]);
    }
}
