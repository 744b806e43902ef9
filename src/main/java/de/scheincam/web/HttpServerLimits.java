package de.scheincam.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds on the HTTP server's connections: one idle for {@code idleSeconds} (nothing read or written)
 * is closed, and beyond {@code maxConnections} open, or {@code maxPerClient} from one address, a new
 * one is closed at once. Before, 500 idle connections all stayed open for ever.
 * <p>
 * camel-platform-http-vertx builds its server from {@code new HttpServerOptions()} with no setting
 * for either and no hook between building and listening; what it does take is the {@link Vertx} from
 * the registry. So the app binds this view of its Vert.x there: everything passes through to the real
 * one, except that the HTTP servers it creates get these limits before they listen. HTTP/2 over
 * clear text (h2c, which no browser speaks) is off, so that every connection is HTTP/1 from its first
 * byte and is counted the moment it is accepted, not when it first sends something.
 */
public final class HttpServerLimits {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerLimits.class);

    private final int idleSeconds;
    private final int maxConnections;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> openPerClient = new ConcurrentHashMap<>();

    public HttpServerLimits(int idleSeconds, int maxConnections, int maxPerClient) {
        if (idleSeconds < 1 || maxConnections < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException("the idle timeout and the connection limits must be at least 1");
        }
        this.idleSeconds = idleSeconds;
        this.maxConnections = maxConnections;
        this.maxPerClient = maxPerClient;
    }

    /** {@code vertx} as Camel should see it: HTTP servers it creates come with these limits. */
    public Vertx applyTo(Vertx vertx) {
        return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {VertxInternal.class},
                (proxy, method, args) -> {
                    if (isCreateHttpServer(method)) {
                        HttpServerOptions options = args == null ? new HttpServerOptions() : new HttpServerOptions((HttpServerOptions) args[0]);
                        return limit(vertx.createHttpServer(options.setIdleTimeout(idleSeconds).setHttp2ClearTextEnabled(false)));
                    }
                    try {
                        return method.invoke(vertx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static boolean isCreateHttpServer(Method method) {
        return method.getName().equals("createHttpServer") && (method.getParameterCount() == 0
                || method.getParameterCount() == 1 && method.getParameterTypes()[0] == HttpServerOptions.class);
    }

    private HttpServer limit(HttpServer server) {
        return server.connectionHandler(connection -> {
            String client = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
            int all = open.incrementAndGet();
            int own = openPerClient.merge(client, 1, Integer::sum);
            if (all > maxConnections || own > maxPerClient) {
                release(client);
                LOG.debug("Closed a new connection from {}: {} open, {} from it", client, all - 1, own - 1);
                connection.close();
                return;
            }
            connection.closeHandler(closed -> release(client));
        });
    }

    private void release(String client) {
        open.decrementAndGet();
        openPerClient.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections open now (for tests and metrics). */
    public int open() {
        return open.get();
    }
}
