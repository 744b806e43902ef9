package de.scheincam.watchdog;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Something the venue must know now: what kind, in a sentence, when (venue time). */
public record Alert(String kind, String message, @JsonProperty("time") LocalDateTime time, String venue) {
}
