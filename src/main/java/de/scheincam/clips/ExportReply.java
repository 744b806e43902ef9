package de.scheincam.clips;

import java.util.Map;

/** The answer to an export request: 200 with the finished clip, or 202 with where to follow it. */
public record ExportReply(int status, Map<String, Object> body, String location) {
}
