package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress with rate and ETA, either as a bar redrawn in place (a terminal) or as a plain line every
 * {@code interval} (a log).
 */
public final class RateProgress implements Progress {

    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final Ticker ticker;
    private final boolean bar;
    private final long intervalNanos;
    private String table;
    private long total;
    private long startDone;
    private long startNanos;
    private long lastPrint;
    private long rejected;
    private String paused;

    private RateProgress(PrintWriter out, Ticker ticker, boolean bar, Duration interval) {
        this.out = out;
        this.ticker = ticker;
        this.bar = bar;
        this.intervalNanos = interval.toNanos();
    }

    public static RateProgress bar(PrintWriter out, Ticker ticker) {
        return new RateProgress(out, ticker, true, Duration.ofMillis(200));
    }

    public static RateProgress log(PrintWriter out, Ticker ticker, Duration interval) {
        return new RateProgress(out, ticker, false, interval);
    }

    @Override
    public void start(String table, long done, long total) {
        this.table = table;
        this.total = total;
        this.startDone = done;
        this.startNanos = ticker.nanos();
        this.lastPrint = startNanos;
        this.rejected = 0;
        this.paused = null;
        if (!bar) {
            out.printf("%s: %,d rows to copy%s%n", table, total - done, done > 0 ? " (resuming after " + done + ")" : "");
            out.flush();
        }
    }

    @Override
    public void update(long done) {
        long now = ticker.nanos();
        if (now - lastPrint >= intervalNanos) {
            lastPrint = now;
            print(done, now, false);
        }
    }

    @Override
    public void paused(double value, double max) {
        paused = String.format("PAUSED: throttle query %s > --throttle-max %s", number(value), number(max));
        line(table + ": " + paused);
    }

    @Override
    public void resumed(double value, long pausedNanos) {
        paused = null;
        line(String.format("%s: resumed after %.1f s: throttle query %s", table, pausedNanos / 1e9, number(value)));
    }

    @Override
    public void waiting(String waitingTable, String message) {
        line(waitingTable + ": " + message);
    }

    @Override
    public void rejected(long rows) {
        rejected = rows;
    }

    private void line(String text) {
        out.printf(bar ? "%n%s%n" : "%s%n", text);
        out.flush();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public void finish(long done) {
        print(done, ticker.nanos(), true);
    }

    private void print(long done, long now, boolean last) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - startDone) / seconds;
        long left = Math.max(0, total - done);
        String eta = rate > 0 ? formatDuration((long) (left / rate)) : "?";
        String extra = (rejected > 0 ? String.format(", %,d rejected", rejected) : "")
                + (paused != null ? ", " + paused : "");
        int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : 100;
        if (bar) {
            int filled = percent * BAR_WIDTH / 100;
            out.printf("\r%-12s [%s%s] %3d%% %,d/%,d %,.0f rows/s ETA %s%s ", table, "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled), percent, done, total, rate, eta, extra);
            if (last) {
                out.println();
            }
        } else {
            out.printf("%s: %,d/%,d rows (%d%%), %,.0f rows/s, ETA %s%s%n", table, done, total, percent, rate, eta, extra);
        }
        out.flush();
    }

    static String formatDuration(long seconds) {
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
