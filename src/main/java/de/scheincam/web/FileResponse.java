package de.scheincam.web;

import java.io.InputStream;

/**
 * A file (or one byte range of it) ready to send: routes copy these fields to HTTP headers
 * (routes/api.camel.yaml, route send-file).
 */
public record FileResponse(int status, String contentType, String contentDisposition, String contentRange,
                           long length, InputStream body) {
}
