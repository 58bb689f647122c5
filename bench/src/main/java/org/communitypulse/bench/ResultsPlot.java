package org.communitypulse.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A five-panel PNG drawn with Java2D (no plotting library needed): throughput (plain consumer, Streams
 * floor, pipeline), latency percentiles, the per-event cost of the pipeline against the batch peer, and
 * the state at several member counts, in two rows; then, across a third row, the latency histogram of
 * every latency run laid over each other.
 */
final class ResultsPlot {

    private static final int WIDTH = 1000;
    /** Height of one row of panels; the image has three. */
    private static final int HEIGHT = 420;
    private static final int ROWS = 3;
    /** Latency the pipeline is meant to stay under (p99 at 5k events/s), marked on the histogram. */
    private static final long TARGET_MS = 1_000;
    private static final Color TARGET = new Color(0xD62728);
    /** One colour per latency run; past the tenth the colours repeat with a dashed line. */
    private static final Color[] RUNS = {
        new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0x9467BD), new Color(0x8C564B),
        new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF), new Color(0x393B79)};
    private static final Color CONSUMER = new Color(0x8DA0CB);
    private static final Color PIPELINE = new Color(0xFC8D62);
    private static final Color FLOOR = new Color(0xA6D854);
    private static final Color P50 = new Color(0x66C2A5);
    private static final Color P99 = new Color(0xE78AC3);

    private ResultsPlot() {
    }

    /**
     * Draws the PNG of an existing results file: {@code ResultsPlot <results.json> <results.png>}, e.g. to
     * re-plot a published run after a change to the drawing.
     */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ResultsPlot <results.json> <results.png>");
        }
        Map<String, Object> results = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                Path.of(args[0]).toFile(), Map.class);
        List<Map<String, Object>> memory = ((List<Map<String, Object>>) results.getOrDefault("memory", List.of()))
                .stream().filter(r -> !r.containsKey("error")).toList();
        write((List<Map<String, Object>>) results.getOrDefault("throughput", List.of()),
                (List<Map<String, Object>>) results.getOrDefault("latency", List.of()),
                (List<Map<String, Object>>) results.getOrDefault("batchPeer", List.of()), memory, Path.of(args[1]));
    }

    static void write(List<Map<String, Object>> throughput, List<Map<String, Object>> latency,
                      List<Map<String, Object>> peer, List<Map<String, Object>> memory, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, ROWS * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, ROWS * HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        panel(g, 40, 0, "Throughput (events/s): plain consumer, Streams floor, pipeline", throughput,
                r -> label((Number) r.get("events")) + ", " + r.get("commitIntervalMs") + "ms x" + r.get("streamThreads"),
                new Series("consumerEventsPerSecond", CONSUMER),
                new Series("streamsFloorEventsPerSecond", FLOOR),
                new Series("pipelineEventsPerSecond", PIPELINE));
        panel(g, 540, 0, "Latency produce -> metric (ms): p50, p99", latency,
                r -> label((Number) r.get("rate")) + " e" + r.get("emitIntervalMs") + " c" + r.get("commitIntervalMs"),
                new Series("p50Ms", P50),
                new Series("p99Ms", P99));
        panel(g, 40, HEIGHT, "Cost per new event (µs), 1% appended: pipeline vs batch peer", peer,
                r -> label((Number) r.get("events")) + ", " + r.get("commitIntervalMs") + "ms x" + r.get("streamThreads"),
                new Series("pipelineIncrementMicrosPerEvent", PIPELINE),
                new Series("peerIncrementMicrosPerEvent", CONSUMER));
        panel(g, 540, HEIGHT, "State (MB) by members per community, events fixed", memory,
                r -> r.get("membersPerCommunity") + "/c, " + label((Number) r.get("members")),
                new Series("localStateMB", P50),
                new Series("heapGrowthMB", P99));
        histogram(g, 40, 2 * HEIGHT, latency);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private interface Labeller {
        String label(Map<String, Object> row);
    }

    /** One bar per row: the figure {@code key}, drawn in {@code colour}. */
    private record Series(String key, Color colour) {
    }

    private static void panel(Graphics2D g, int x0, int y0, String title, List<Map<String, Object>> rows,
                              Labeller labeller, Series... series) {
        int top = y0 + 50;
        int bottom = y0 + HEIGHT - 70;
        int width = 420;
        g.setColor(Color.BLACK);
        g.drawString(title, x0, y0 + 25);
        double max = 1;
        for (Map<String, Object> r : rows) {
            for (Series s : series) {
                max = Math.max(max, value(r, s.key()));
            }
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(x0, bottom, x0 + width, bottom);
        g.drawLine(x0, top, x0, bottom);
        g.drawString(format(max), x0 + 4, top + 10);
        int slot = rows.isEmpty() ? width : width / rows.size();
        // The bars of a row fill two thirds of its slot, leaving a gap before the next row.
        int bar = Math.max(8, 2 * slot / (3 * series.length));
        Font font = g.getFont();
        // Many rows (eight latency runs): smaller figures and labels, so neighbours do not run into each other.
        Font small = font.deriveFont(slot < 80 ? 10f : font.getSize2D());
        for (int i = 0; i < rows.size(); i++) {
            int x = x0 + i * slot + slot / 6;
            for (int k = 0; k < series.length; k++) {
                double v = value(rows.get(i), series[k].key());
                bar(g, x + k * bar, bar, bottom, top, v / max, series[k].colour());
            }
        }
        g.setFont(small);
        // Figures after all bars, so a taller neighbouring bar does not paint over them.
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            int x = x0 + i * slot + slot / 6;
            for (int k = 0; k < series.length; k++) {
                double v = value(r, series[k].key());
                int h = (int) Math.round((bottom - top) * v / max);
                g.setColor(Color.DARK_GRAY);
                g.drawString(format(v), x + k * bar, bottom - h - 3 - (bar < 28 ? (k % 2) * 11 : 0));
            }
            g.setColor(Color.BLACK);
            g.drawString(labeller.label(r), x, bottom + 16 + (i % 2) * 14);
        }
        g.setFont(font);
        // The legend under the panel, entries side by side, wrapped onto a second line when they do not fit.
        int x = x0;
        int y = y0 + HEIGHT - 36;
        for (Series s : series) {
            int text = 16 + g.getFontMetrics().stringWidth(s.key());
            // May run into the 80-pixel gap before the next panel, not into the panel.
            if (x > x0 && x + text > x0 + width + 60) {
                x = x0;
                y += 16;
            }
            g.setColor(s.colour());
            g.fillRect(x, y, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(s.key(), x + 16, y + 10);
            x += text + 20;
        }
    }

    /**
     * The latency runs' histograms as step lines over the buckets, one bucket per equal slot (the edges are
     * roughly log-spaced, so the axis reads as a log scale), share of the run's events on the y-axis.
     */
    private static void histogram(Graphics2D g, int x0, int y0, List<Map<String, Object>> latency) {
        List<Map<String, Object>> runs = latency.stream().filter(r -> r.get("histogram") instanceof List<?>)
                .filter(r -> value(r, "measuredEvents") > 0).toList();
        int top = y0 + 50;
        int bottom = y0 + HEIGHT - 110;
        int width = WIDTH - x0 - 40;
        List<Long> edges = LatencyHistogram.EDGES_MS;
        int buckets = edges.size() + 1;
        double slot = (double) width / buckets;
        g.setColor(Color.BLACK);
        g.drawString("Latency histogram produce -> metric: share of a run's events per bucket (upper edge"
                + " inclusive, ms / s)", x0, y0 + 25);
        double max = 0;
        for (Map<String, Object> r : runs) {
            for (Map<?, ?> b : bucketsOf(r)) {
                max = Math.max(max, share(r, b));
            }
        }
        // The y-axis in whole 10% steps, so the gridlines read without a scale to decode.
        double ceiling = Math.max(0.1, Math.ceil(max * 10 - 1e-9) / 10);
        g.setStroke(new BasicStroke(1));
        for (int tick = 0; tick <= Math.round(ceiling * 10); tick++) {
            int y = bottom - (int) Math.round((bottom - top) * tick / (ceiling * 10));
            g.setColor(tick == 0 ? Color.BLACK : new Color(0xE0E0E0));
            g.drawLine(x0, y, x0 + width, y);
            g.setColor(Color.DARK_GRAY);
            String label = (tick * 10) + "%";
            g.drawString(label, x0 - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(x0, top, x0, bottom);
        // The edge labels sit under the slot boundaries; the overflow slot ends at infinity.
        for (int i = 0; i <= buckets; i++) {
            int x = x0 + (int) Math.round(i * slot);
            String label = i == 0 ? "0" : i == buckets ? "\u221E" : edgeLabel(edges.get(i - 1));
            g.drawLine(x, bottom, x, bottom + 4);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, bottom + 18);
        }
        int target = edges.indexOf(TARGET_MS);
        if (target >= 0) {
            int x = x0 + (int) Math.round((target + 1) * slot);
            g.setColor(TARGET);
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(x, top - 8, x, bottom);
            g.drawString("1 s target (p99 < 1 s at 5k/s)", x + 6, top + 4);
        }
        if (runs.isEmpty()) {
            g.setColor(Color.DARK_GRAY);
            g.drawString("no latency runs", x0 + width / 2 - 40, (top + bottom) / 2);
        }
        int legendX = x0;
        int legendY = bottom + 40;
        for (int k = 0; k < runs.size(); k++) {
            Map<String, Object> r = runs.get(k);
            Color colour = RUNS[k % RUNS.length];
            BasicStroke stroke = k < RUNS.length ? new BasicStroke(2)
                    : new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 3}, 0);
            g.setColor(colour);
            g.setStroke(stroke);
            List<Map<?, ?>> rows = bucketsOf(r);
            int previousY = bottom;
            for (int i = 0; i < rows.size() && i < buckets; i++) {
                int y = bottom - (int) Math.round((bottom - top) * share(r, rows.get(i)) / ceiling);
                int left = x0 + (int) Math.round(i * slot);
                int right = x0 + (int) Math.round((i + 1) * slot);
                g.drawLine(left, previousY, left, y);
                g.drawLine(left, y, right, y);
                previousY = y;
            }
            g.drawLine(x0 + width, previousY, x0 + width, bottom);
            String label = label((Number) r.get("rate")) + "/s e" + r.get("emitIntervalMs") + " c"
                    + r.get("commitIntervalMs") + " x" + r.get("streamThreads") + ": p99 "
                    + format(value(r, "p99Ms")) + " ms";
            int text = 26 + g.getFontMetrics().stringWidth(label);
            if (legendX > x0 && legendX + text > x0 + width) {
                legendX = x0;
                legendY += 18;
            }
            g.drawLine(legendX, legendY - 4, legendX + 20, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(label, legendX + 26, legendY);
            legendX += text + 24;
        }
        g.setStroke(new BasicStroke(1));
    }

    private static List<Map<?, ?>> bucketsOf(Map<String, Object> run) {
        return ((List<?>) run.get("histogram")).stream().filter(b -> b instanceof Map<?, ?>)
                .<Map<?, ?>>map(b -> (Map<?, ?>) b).toList();
    }

    private static double share(Map<String, Object> run, Map<?, ?> bucket) {
        double total = value(run, "measuredEvents");
        return bucket.get("count") instanceof Number n && total > 0 ? n.doubleValue() / total : 0;
    }

    private static String edgeLabel(long ms) {
        return ms < 1_000 ? Long.toString(ms) : ms % 1_000 == 0 ? (ms / 1_000) + "s" : (ms / 1_000.0) + "s";
    }

    private static void bar(Graphics2D g, int x, int w, int bottom, int top, double share, Color colour) {
        int h = (int) Math.round((bottom - top) * share);
        g.setColor(colour);
        g.fillRect(x, bottom - h, w - 2, h);
    }

    private static String format(double v) {
        return String.format(v < 10 ? "%.1f" : "%,.0f", v);
    }

    private static double value(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    private static String label(Number n) {
        long v = n.longValue();
        return v >= 1_000_000 ? (v / 1_000_000) + "M" : v >= 1_000 ? (v / 1_000) + "k" : Long.toString(v);
    }
}
