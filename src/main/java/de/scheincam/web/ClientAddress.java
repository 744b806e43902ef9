package de.scheincam.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who a request comes from, for the limits kept per client: the address of the connection, or, when
 * that is one of the configured trusted proxies (none by default), the address the proxies name in
 * {@code X-Forwarded-For}. Without a trusted proxy the header is ignored: anyone can write it, and a
 * guesser would just send a new one with every try. Read from the right, each trusted proxy having
 * appended the address it saw; the first address not a trusted proxy is the client. An IPv6 client
 * is its /64: one device gets a whole one and could otherwise be 2^64 clients.
 */
public class ClientAddress {

    /** A dotted IPv4 address or something with a colon: what InetAddress parses without a name lookup. */
    private static final Pattern IP_LITERAL = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|(?=.*:)[0-9A-Fa-f:.]{2,45}");

    private final Set<String> trustedProxies;

    public ClientAddress(String trustedProxies) {
        this.trustedProxies = Arrays.stream(trustedProxies == null ? new String[0] : trustedProxies.split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).map(ClientAddress::canonical)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@code remote}: the connection's address; {@code forwardedFor}: the X-Forwarded-For header, or null. */
    public String of(String remote, String forwardedFor) {
        String client = canonical(remote == null ? "unknown" : remote);
        if (forwardedFor == null || !trustedProxies.contains(client)) {
            return group(client);
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = canonical(hops[i].trim());
            if (!IP_LITERAL.matcher(hop).matches()) {
                break; // not an address (a proxy we do not trust wrote it): the last one we trust is the client
            }
            client = hop;
            if (!trustedProxies.contains(hop)) {
                break;
            }
        }
        return group(client);
    }

    /** The textual form Java gives an address literal; anything else as it is (never a name lookup). */
    private static String canonical(String address) {
        if (!IP_LITERAL.matcher(address).matches()) {
            return address;
        }
        try {
            return InetAddress.getByName(address).getHostAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static String group(String address) {
        if (!address.contains(":") || !IP_LITERAL.matcher(address).matches()) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(String.format("%x:", ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
