package de.scheincam.ffmpeg;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What ffprobe says about a media file ({@code -print_format json -show_format -show_streams}): the
 * facts the library and the clip checks need.
 */
public record MediaInfo(Double duration, Integer width, Integer height, Double fps, List<String> codecs) {

    public static MediaInfo parse(ObjectMapper json, String ffprobeOutput) {
        try {
            JsonNode root = json.readTree(ffprobeOutput == null ? "{}" : ffprobeOutput);
            Double duration = number(root.path("format").path("duration"));
            Integer width = null;
            Integer height = null;
            Double fps = null;
            List<String> codecs = new java.util.ArrayList<>();
            for (JsonNode stream : root.path("streams")) {
                codecs.add(stream.path("codec_type").asText() + ":" + stream.path("codec_name").asText());
                if ("video".equals(stream.path("codec_type").asText()) && width == null) {
                    width = stream.path("width").isInt() ? stream.path("width").asInt() : null;
                    height = stream.path("height").isInt() ? stream.path("height").asInt() : null;
                    fps = rate(stream.path("avg_frame_rate").asText(stream.path("r_frame_rate").asText()));
                }
                if (duration == null) {
                    duration = number(stream.path("duration"));
                }
            }
            return new MediaInfo(duration, width, height, fps, List.copyOf(codecs));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("ffprobe output is not JSON", e);
        }
    }

    /** How many sound streams the file has. */
    public int soundTracks() {
        return (int) codecs.stream().filter(c -> c.startsWith("audio:")).count();
    }

    public boolean hasVideo() {
        return codecs.stream().anyMatch(c -> c.startsWith("video:"));
    }

    private static Double number(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            double value = Double.parseDouble(node.asText());
            return Double.isFinite(value) && value >= 0 ? Math.round(value * 1000) / 1000.0 : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double rate(String fraction) {
        String[] parts = fraction.split("/");
        try {
            double num = Double.parseDouble(parts[0]);
            double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
            return den == 0 || num == 0 ? null : Math.round(num / den * 1000) / 1000.0;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
