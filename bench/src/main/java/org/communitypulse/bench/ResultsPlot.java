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
 * A four-panel PNG drawn with Java2D (no plotting library needed): throughput (plain consumer, Streams
 * floor, pipeline), latency percentiles, the per-event cost of the pipeline against the batch peer, and
 * the state at several member counts.
 */
final class ResultsPlot {

    private static final int WIDTH = 1000;
    /** Height of one row of panels; the image has two. */
    private static final int HEIGHT = 420;
    private static final Color CONSUMER = new Color(0x8DA0CB);
    private static final Color PIPELINE = new Color(0xFC8D62);
    private static final Color FLOOR = new Color(0xA6D854);
    private static final Color P50 = new Color(0x66C2A5);
    private static final Color P99 = new Color(0xE78AC3);

    private ResultsPlot() {
    }

    static void write(List<Map<String, Object>> throughput, List<Map<String, Object>> latency,
                      List<Map<String, Object>> peer, List<Map<String, Object>> memory, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, 2 * HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        panel(g, 40, 0, "Throughput (events/s): plain consumer, Streams floor, pipeline", throughput,
                r -> label((Number) r.get("events")) + ", " + r.get("commitIntervalMs") + "ms x" + r.get("streamThreads"),
                new Series("consumerEventsPerSecond", CONSUMER),
                new Series("streamsFloorEventsPerSecond", FLOOR),
                new Series("pipelineEventsPerSecond", PIPELINE));
        panel(g, 540, 0, "Latency produce -> metric (ms): p50, p99", latency,
                r -> label((Number) r.get("rate")) + "/s e" + r.get("emitIntervalMs") + " c" + r.get("commitIntervalMs"),
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
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            int x = x0 + i * slot + slot / 6;
            for (int k = 0; k < series.length; k++) {
                double v = value(r, series[k].key());
                bar(g, x + k * bar, bar, bottom, top, v / max, series[k].colour(), v);
            }
            g.setColor(Color.BLACK);
            g.drawString(labeller.label(r), x, bottom + 16 + (i % 2) * 14);
        }
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

    private static void bar(Graphics2D g, int x, int w, int bottom, int top, double share, Color colour, double v) {
        int h = (int) Math.round((bottom - top) * share);
        g.setColor(colour);
        g.fillRect(x, bottom - h, w - 2, h);
        g.setColor(Color.DARK_GRAY);
        g.drawString(format(v), x, bottom - h - 3);
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
