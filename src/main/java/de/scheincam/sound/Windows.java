package de.scheincam.sound;

import java.util.Arrays;

/**
 * The windows of an envelope while it is being read: per window the sum of squares of every channel's
 * samples and the mix's zero crossings. Samples are added block by block and not kept.
 */
final class Windows {

    private final double windowSeconds;
    private double[] squares = new double[256];
    private long[] samples = new long[256];
    private int[] crossings = new int[256];
    private long[] mixed = new long[256];
    private int used;
    private boolean lastNegative;

    Windows(double windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    /** One channel of a block that starts {@code at} seconds; only samples in [from, to) count. */
    void squares(float[] x, int n, double at, int rate, double from, double to) {
        int i = firstSample(at, rate, from);
        int end = endSample(n, at, rate, to);
        while (i < end) {
            int w = window(at + (double) i / rate, from);
            int j = Math.max(i + 1, Math.min(end, (int) Math.ceil((from + (w + 1) * windowSeconds - at) * rate - 1e-9)));
            grow(w);
            double s = 0;
            for (int k = i; k < j; k++) {
                s += (double) x[k] * x[k];
            }
            squares[w] += s;
            samples[w] += j - i;
            i = j;
        }
    }

    /** The block's mix of all channels: its zero crossings. */
    void mix(float[] x, int n, double at, int rate, double from, double to) {
        int i = firstSample(at, rate, from);
        int end = endSample(n, at, rate, to);
        while (i < end) {
            int w = window(at + (double) i / rate, from);
            int j = Math.max(i + 1, Math.min(end, (int) Math.ceil((from + (w + 1) * windowSeconds - at) * rate - 1e-9)));
            grow(w);
            int c = 0;
            boolean negative = lastNegative;
            for (int k = i; k < j; k++) {
                boolean neg = x[k] < 0;
                if (neg != negative) {
                    c++;
                    negative = neg;
                }
            }
            lastNegative = negative;
            crossings[w] += c;
            mixed[w] += j - i;
            i = j;
        }
    }

    private static int firstSample(double at, int rate, double from) {
        return at >= from ? 0 : (int) Math.ceil((from - at) * rate - 1e-9);
    }

    private static int endSample(int n, double at, int rate, double to) {
        return Double.isInfinite(to) ? n : (int) Math.min(n, Math.max(0, Math.ceil((to - at) * rate - 1e-9)));
    }

    private int window(double t, double from) {
        return Math.max(0, (int) Math.floor((t - from) / windowSeconds + 1e-9));
    }

    private void grow(int w) {
        if (w >= squares.length) {
            int size = Math.max(w + 1, squares.length * 2);
            squares = Arrays.copyOf(squares, size);
            samples = Arrays.copyOf(samples, size);
            crossings = Arrays.copyOf(crossings, size);
            mixed = Arrays.copyOf(mixed, size);
        }
        used = Math.max(used, w + 1);
    }

    SoundEnvelope envelope() {
        float[] level = new float[used];
        float[] rate = new float[used];
        for (int w = 0; w < used; w++) {
            if (samples[w] == 0) {
                level[w] = Float.NaN;
                rate[w] = Float.NaN;
                continue;
            }
            double meanSquare = squares[w] / samples[w];
            level[w] = meanSquare <= 0 ? SoundEnvelope.DIGITAL_SILENCE_DB
                    : (float) Math.max(SoundEnvelope.DIGITAL_SILENCE_DB, 10 * Math.log10(meanSquare));
            rate[w] = mixed[w] == 0 ? Float.NaN : (float) crossings[w] / mixed[w];
        }
        return new SoundEnvelope(windowSeconds, level, rate);
    }
}
