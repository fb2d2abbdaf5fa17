package dev.holdfast.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code webhook.allowed-urls}: the URL prefixes webhooks may go to, or any URL when none is set
 * (the behaviour before the setting existed). A prefix is matched on the parsed URL, never as
 * text: same scheme, host and port (the default port if none is given), and a path that equals
 * the prefix's or continues it at a {@code /} ({@code https://h.example/in} allows {@code
 * /in} and {@code /in/x}, not {@code /inbox}; {@code https://h.example} allows the whole host,
 * not {@code h.example.evil.net}). A path with dot segments or an encoded {@code .} or {@code /}
 * is allowed by no prefix, so a receiver that normalises paths cannot be led outside one.
 */
public record WebhookUrls(List<Prefix> prefixes) {
  /** No list: any http(s) URL. */
  public static final WebhookUrls ANY = new WebhookUrls(List.of());

  public WebhookUrls {
    prefixes = List.copyOf(prefixes);
  }

  /** One allowed prefix, normalised. */
  public record Prefix(String scheme, String host, int port, String path) {
    @Override
    public String toString() {
      return scheme + "://" + host + ":" + port + path;
    }
  }

  public boolean restricted() {
    return !prefixes.isEmpty();
  }

  /** Whether a webhook may go to {@code url} (a URL that does not parse is allowed by no list). */
  public boolean permits(String url) {
    if (!restricted()) {
      return true;
    }
    Optional<Prefix> parsed = parse(url, true);
    if (parsed.isEmpty() || hasDotsOrEncodedSeparators(parsed.get().path())) {
      return false;
    }
    Prefix u = parsed.get();
    return prefixes.stream().anyMatch(p -> p.scheme().equals(u.scheme()) && p.host().equals(u.host())
        && p.port() == u.port() && underPath(p.path(), u.path()));
  }

  /** Parses the setting: prefixes separated by commas and/or spaces. */
  public static WebhookUrls parse(String text) {
    List<Prefix> list = new ArrayList<>();
    for (String part : text.trim().split("[,\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      Prefix p = parse(part, false).filter(x -> !hasDotsOrEncodedSeparators(x.path())).orElseThrow(() ->
          new IllegalArgumentException("a list of http:// or https:// URL prefixes with a host and no user:password@,"
              + " query, fragment or dot segments, separated by commas, such as https://hooks.example/in/ ('"
              + part + "' is not one)"));
      list.add(p);
    }
    return new WebhookUrls(list);
  }

  private static boolean underPath(String prefix, String path) {
    if (prefix.endsWith("/")) {
      return path.startsWith(prefix);
    }
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  private static boolean hasDotsOrEncodedSeparators(String rawPath) {
    String lower = rawPath.toLowerCase(Locale.ROOT);
    return lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")
        || ("/" + lower + "/").matches(".*/\\.{1,2}/.*");
  }

  /** Scheme, host, port and raw path of an http(s) URL; a prefix may not carry a query or fragment. */
  private static Optional<Prefix> parse(String text, boolean queryAllowed) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
          || uri.getRawFragment() != null || (!queryAllowed && uri.getRawQuery() != null)) {
        return Optional.empty();
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return Optional.of(new Prefix(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
