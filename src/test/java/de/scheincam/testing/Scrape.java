package de.scheincam.testing;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;

/** One Prometheus scrape of /observe/metrics: each series ({@code name{labels}}) with its value. */
public final class Scrape {

    private final Map<String, Double> series;

    private Scrape(Map<String, Double> series) {
        this.series = series;
    }

    public static Scrape of(TestApp app) {
        HttpResponse<String> r = app.get("/observe/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("/observe/metrics answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    public static Scrape parse(String text) {
        Map<String, Double> series = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(series);
    }

    /** The value of a series, e.g. {@code scheincam_exports{state="queued"}}; absent counts as missing. */
    public double value(String name) {
        Double v = series.get(name);
        if (v == null) {
            throw new AssertionError("no series " + name + " in the scrape; scheincam series: "
                    + series.keySet().stream().filter(k -> k.startsWith("scheincam")).toList());
        }
        return v;
    }

    /** The sum over every series of a metric, whatever its labels; 0 when it does not exist yet. */
    public double total(String metric) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().equals(metric) || e.getKey().startsWith(metric + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The metrics' names in the scrape, without labels. */
    public java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String key : series.keySet()) {
            int brace = key.indexOf('{');
            names.add(brace < 0 ? key : key.substring(0, brace));
        }
        return names;
    }
}
