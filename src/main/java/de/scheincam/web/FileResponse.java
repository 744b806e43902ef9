package de.scheincam.web;

import java.nio.file.Path;

/**
 * A file, or one byte range of it ({@code offset}, {@code length}), ready to send: the route send-file
 * (routes/api.camel.yaml) copies the status and headers to the message, and {@link FileTransfers}
 * sends the bytes.
 */
public record FileResponse(int status, String contentType, String contentDisposition, String contentRange,
                           Path file, long offset, long length) {
}
