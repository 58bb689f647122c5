package org.communitypulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark in one JVM session on one broker, so the ratios compare like with like, and
 * writes {@code results.json} and {@code results.png} to {@code --out}.
 *
 * <p>Arguments: {@code --sizes=1000000,5000000} (events preloaded per throughput run),
 * {@code --rates=1000,5000} (events/s for latency runs), {@code --latency-seconds=60},
 * {@code --members=5000} (per community, 20 communities), {@code --settings=100x1,1000x2} (Streams commit
 * interval in ms x stream threads, each a full round: the live default and the batch setting), {@code --jmh=true}, {@code --out=DIR},
 * {@code --peer=auto} (the PostgreSQL batch peer: {@code auto} runs it when PostgreSQL is installed and says why
 * not otherwise, {@code true} requires it, {@code false} skips it), {@code --increment=0.01} (share of each size
 * appended after the run, for the incremental cost), {@code --memory-members=1000,5000,20000} and
 * {@code --memory-events=200000} (the memory series: state at several member counts for a fixed number of events),
 * {@code --large-sizes=20000000} (default none: sizes run after the others with the last setting only, for the
 * growth curve without a long round of every setting).
 */
public final class BenchmarkSuite {

    private static final int MEMORY_ATTEMPTS = 2;

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("sizes", "1000000,5000000", "rates", "1000,5000",
                "latency-seconds", "60", "members", "5000", "jmh", "true", "out", "target/bench",
                "settings", "100x1,1000x2"));
        options.putAll(Map.of("peer", "auto", "increment", "0.01", "memory-members", "1000,5000,20000",
                "memory-events", "200000", "large-sizes", ""));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("Unknown argument " + arg + "; known: " + options.keySet());
            }
            options.put(kv[0], kv[1]);
        }
        Path out = Path.of(options.get("out")).toAbsolutePath();
        Files.createDirectories(out);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("startedAt", Instant.now().toString());
        results.put("machine", machine());
        results.put("options", options);

        List<Map<String, Object>> throughput = new ArrayList<>();
        List<Map<String, Object>> latency = new ArrayList<>();
        List<Map<String, Object>> memory = new ArrayList<>();
        List<Map<String, Object>> peerRows = new ArrayList<>();
        results.put("throughput", throughput);
        results.put("latency", latency);
        results.put("memory", memory);
        results.put("batchPeer", peerRows);
        int members = Integer.parseInt(options.get("members"));
        double incrementShare = Double.parseDouble(options.get("increment"));
        Path work = Files.createTempDirectory("pulse-bench-");
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start();
             ApicurioRegistry registry = ApicurioRegistry.builder().logDir(work.resolve("registry")).start();
             PeerSession peer = PeerSession.open(options.get("peer"), results)) {
            boolean first = true;
            String[] settings = options.get("settings").split(",");
            for (String setting : settings) {
                PipelineBenchmark bench = bench(kafka, registry, work, setting);
                for (long size : longs(options.get("sizes"))) {
                    throughputRun(bench, size, members, incrementShare, throughput, peer, peerRows, results);
                    write(out, results);
                }
                if (first) {
                    // The memory series needs one setting only: the state is the same under both.
                    for (long m : longs(options.get("memory-members"))) {
                        memory.add(memoryRun(bench, Long.parseLong(options.get("memory-events")), (int) m));
                        results.put("memoryGrowth", Scaling.memoryGrowth(memory));
                        write(out, results);
                    }
                }
                first = false;
                for (long rate : longs(options.get("rates"))) {
                    for (long emitMs : new long[] {1000, 200}) {
                        latency.add(bench.latency((int) rate, Integer.parseInt(options.get("latency-seconds")),
                                emitMs));
                        write(out, results);
                    }
                }
            }
            // JMH before the large sizes, and the plot after each step from here: a 20M run takes long enough
            // that one may stop it, and everything measured until then is kept, plot included.
            results.put("jmh", Boolean.parseBoolean(options.get("jmh")) ? jmh() : List.of());
            writeWithPlot(out, results, throughput, latency, peerRows, memory);
            // The growth curve at sizes too long for every setting: the last (the batch setting, the fastest) only.
            PipelineBenchmark last = bench(kafka, registry, work, settings[settings.length - 1]);
            for (long size : longs(options.get("large-sizes"))) {
                throughputRun(last, size, members, incrementShare, throughput, peer, peerRows, results);
                writeWithPlot(out, results, throughput, latency, peerRows, memory);
            }
        }
        System.out.println("[bench] results: " + out.resolve("results.json") + ", " + out.resolve("results.png"));
    }

    private static void writeWithPlot(Path out, Map<String, Object> results, List<Map<String, Object>> throughput,
                                      List<Map<String, Object>> latency, List<Map<String, Object>> peerRows,
                                      List<Map<String, Object>> memory) throws Exception {
        write(out, results);
        ResultsPlot.write(throughput, latency, peerRows, memory.stream().filter(r -> !r.containsKey("error")).toList(),
                out.resolve("results.png"));
    }

    /** The benchmark of one setting, {@code <commit interval ms>x<stream threads>}. */
    private static PipelineBenchmark bench(EmbeddedKafkaCluster kafka, ApicurioRegistry registry, Path work,
                                           String setting) {
        String[] parts = setting.trim().split("x");
        return new PipelineBenchmark(kafka, registry, work, Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
    }

    /** One throughput run of {@code size} events, its peer comparison, and the updated scaling summary. */
    private static void throughputRun(PipelineBenchmark bench, long size, int members, double incrementShare,
                                      List<Map<String, Object>> throughput, PeerSession peer,
                                      List<Map<String, Object>> peerRows, Map<String, Object> results)
            throws Exception {
        long increment = incrementShare > 0 ? Math.max(1, Math.round(size * incrementShare)) : 0;
        PipelineBenchmark.Run run = bench.throughput(size, members, increment);
        throughput.add(run.figures());
        peer.compare(run, size, members, increment).ifPresent(peerRows::add);
        results.put("scaling", Scaling.of(throughput, peerRows));
    }

    /**
     * One point of the memory series, tried twice. A point that fails both times (on a starved machine
     * the preload's producer has timed out) is recorded with its error and the series goes on: the
     * other points still show the shape.
     */
    private static Map<String, Object> memoryRun(PipelineBenchmark bench, long events, int members) {
        Exception last = null;
        for (int attempt = 1; attempt <= MEMORY_ATTEMPTS; attempt++) {
            try {
                return Scaling.memoryRow(bench.throughput(events, members, 0, false).figures());
            } catch (Exception e) {
                last = e;
                System.out.println("[bench] memory run with " + members + " members per community FAILED (attempt "
                        + attempt + " of " + MEMORY_ATTEMPTS + "): " + e);
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("membersPerCommunity", members);
        row.put("events", events);
        row.put("error", String.valueOf(last));
        return row;
    }

    private static List<Map<String, Object>> jmh() throws Exception {
        Options opts = new OptionsBuilder()
                .include(SerdeBenchmark.class.getSimpleName())
                .include(EngagementProcessorBenchmark.class.getSimpleName())
                .include(MappingBenchmark.class.getSimpleName())
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgs("-Xmx2g")
                .build();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunResult r : new Runner(opts).run()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", r.getParams().getBenchmark());
            // Parameterised benchmarks (e.g. objectCacheEntries) get one row per value.
            r.getParams().getParamsKeys().forEach(key -> row.put(key, r.getParams().getParam(key)));
            row.put("opsPerSecond", r.getPrimaryResult().getScore());
            row.put("error99", r.getPrimaryResult().getScoreError());
            rows.add(row);
        }
        return rows;
    }

    /** Written after every measurement, so an interrupted run keeps what it measured. */
    private static void write(Path out, Map<String, Object> results) throws Exception {
        results.put("machineLoadAtWrite", loadAverage());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(),
                results);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("loadAverageAtStart", loadAverage());
        return m;
    }

    /** The 1-minute load average: a benchmark on a busy machine says so in its results. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static long[] longs(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong)
                .toArray();
    }
}
