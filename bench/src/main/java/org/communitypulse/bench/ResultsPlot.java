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
 * A four-panel PNG drawn with Java2D (no plotting library needed): throughput, latency percentiles, the
 * per-event cost of the pipeline against the batch peer, and the state at several member counts.
 */
final class ResultsPlot {

    private static final int WIDTH = 1000;
    /** Height of one row of panels; the image has two. */
    private static final int HEIGHT = 420;
    private static final Color CONSUMER = new Color(0x8DA0CB);
    private static final Color PIPELINE = new Color(0xFC8D62);
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
        panel(g, 40, 0, "Throughput (events/s): plain consumer vs pipeline", throughput,
                r -> label((Number) r.get("events")) + ", " + r.get("commitIntervalMs") + "ms x" + r.get("streamThreads"),
                "consumerEventsPerSecond", CONSUMER,
                "pipelineEventsPerSecond", PIPELINE);
        panel(g, 540, 0, "Latency produce -> metric (ms): p50, p99", latency,
                r -> label((Number) r.get("rate")) + "/s e" + r.get("emitIntervalMs") + " c" + r.get("commitIntervalMs"),
                "p50Ms", P50,
                "p99Ms", P99);
        panel(g, 40, HEIGHT, "Cost per new event (µs), 1% appended: pipeline vs batch peer", peer,
                r -> label((Number) r.get("events")) + ", " + r.get("commitIntervalMs") + "ms x" + r.get("streamThreads"),
                "pipelineIncrementMicrosPerEvent", PIPELINE,
                "peerIncrementMicrosPerEvent", CONSUMER);
        panel(g, 540, HEIGHT, "State (MB) by members per community, events fixed", memory,
                r -> r.get("membersPerCommunity") + "/c, " + label((Number) r.get("members")),
                "localStateMB", P50,
                "heapGrowthMB", P99);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private interface Labeller {
        String label(Map<String, Object> row);
    }

    private static void panel(Graphics2D g, int x0, int y0, String title, List<Map<String, Object>> rows,
                              Labeller labeller, String a, Color colourA, String b, Color colourB) {
        int top = y0 + 50;
        int bottom = y0 + HEIGHT - 70;
        int width = 420;
        g.setColor(Color.BLACK);
        g.drawString(title, x0, y0 + 25);
        double max = 1;
        for (Map<String, Object> r : rows) {
            max = Math.max(max, Math.max(value(r, a), value(r, b)));
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(x0, bottom, x0 + width, bottom);
        g.drawLine(x0, top, x0, bottom);
        g.drawString(format(max), x0 + 4, top + 10);
        int slot = rows.isEmpty() ? width : width / rows.size();
        int bar = Math.max(8, slot / 3);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            int x = x0 + i * slot + slot / 6;
            bar(g, x, bar, bottom, top, value(r, a) / max, colourA, value(r, a));
            bar(g, x + bar, bar, bottom, top, value(r, b) / max, colourB, value(r, b));
            g.setColor(Color.BLACK);
            g.drawString(labeller.label(r), x, bottom + 16 + (i % 2) * 14);
        }
        g.setColor(colourA);
        g.fillRect(x0, y0 + HEIGHT - 30, 12, 12);
        g.setColor(colourB);
        g.fillRect(x0 + 240, y0 + HEIGHT - 30, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString(a, x0 + 16, y0 + HEIGHT - 20);
        g.drawString(b, x0 + 256, y0 + HEIGHT - 20);
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
