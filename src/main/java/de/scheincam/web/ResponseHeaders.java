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
            "cache-control", "www-authenticate", "retry-after", "set-cookie", "content-encoding", "vary");

    /** Camel's HTTP filter drops these from responses; ours are set on purpose (e.g. a cacheable sprite). */
    private static final Set<String> SET_BY_ROUTES = Set.of("cache-control", "content-encoding", "vary");

    /**
     * The response headers a request must not bring along: a route that does not set one would send the
     * client's own value back (a {@code Location} or {@code Set-Cookie} of its choosing). Content-Type is
     * the one a request needs.
     */
    public static final Set<String> NOT_FROM_REQUESTS = ALLOWED.stream()
            .filter(h -> !"content-type".equals(h)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        String name = headerName.toLowerCase(Locale.ROOT);
        if (SET_BY_ROUTES.contains(name)) {
            return false;
        }
        return !ALLOWED.contains(name) || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
