package org.communitypulse.streams.engagement.internals;

/** A community's epoch day as a map key (the Avro {@code CommunityDayKey} hashes through its schema). */
record CommunityDay(String community, int day) {
}
