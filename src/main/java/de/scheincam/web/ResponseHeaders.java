package de.scheincam.web;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Only these headers leave in an HTTP response. Camel copies message headers to the response, and
 * request headers and path parameters are message headers too: without an allow-list a request's
 * {@code filename} (or anything a client sends) would be echoed back.
 */
public class ResponseHeaders extends HttpHeaderFilterStrategy {

    private static final Set<String> ALLOWED = Set.of(
            "content-type", "content-disposition", "content-range", "accept-ranges", "location", "allow",
            "cache-control", "www-authenticate", "retry-after", "set-cookie");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ALLOWED.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
