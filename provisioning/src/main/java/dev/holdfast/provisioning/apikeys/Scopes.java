package dev.holdfast.provisioning.apikeys;

import java.util.Set;
import java.util.TreeSet;

/** The scopes an API key can carry. */
public final class Scopes {
  public static final String MESSAGES_SEND = "messages:send";
  public static final String EVENTS_PUBLISH = "events:publish";
  public static final Set<String> ALL = Set.of(MESSAGES_SEND, EVENTS_PUBLISH);

  private Scopes() {}

  /** @throws IllegalArgumentException naming the unknown scope and the known ones */
  public static Set<String> check(Set<String> scopes) {
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("an API key needs at least one scope; known: " + new TreeSet<>(ALL));
    }
    for (String s : scopes) {
      if (!ALL.contains(s)) {
        throw new IllegalArgumentException("unknown scope '" + s + "'; known: " + new TreeSet<>(ALL));
      }
    }
    return Set.copyOf(scopes);
  }
}
