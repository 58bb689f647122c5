package org.communitypulse.streams.engagement.internals;

import java.util.List;
import org.communitypulse.schemas.avro.Responder;
import org.communitypulse.schemas.avro.ThreadState;

/**
 * Time to first response of one thread, order-insensitively: the thread's start and replies may
 * arrive in any order, and the author may be learnt after the replies.
 *
 * <p>The first response is the earliest reply by anyone but the author. Keeping each replier's
 * earliest reply for the two earliest repliers is enough: if the earliest is the author, the
 * second is the answer. Replies with no actor are always responses and need one timestamp.
 */
final class ThreadResponses {

    private static final int KEPT_RESPONDERS = 2;

    private ThreadResponses() {
    }

    static ThreadState empty() {
        return new ThreadState(null, null, null, new java.util.ArrayList<>());
    }

    /** Records the thread's start; the earliest start wins if a source reports two. */
    static void started(ThreadState state, String author, long at) {
        if (state.getCreatedAt() == null || at < state.getCreatedAt()) {
            state.setCreatedAt(at);
            state.setAuthor(author);
        }
    }

    static void replied(ThreadState state, String actor, long at) {
        if (actor == null) {
            if (state.getEarliestAnonymousReplyAt() == null || at < state.getEarliestAnonymousReplyAt()) {
                state.setEarliestAnonymousReplyAt(at);
            }
            return;
        }
        List<Responder> responders = state.getResponders();
        for (int i = 0; i < responders.size(); i++) {
            Responder r = responders.get(i);
            if (r.getActorId().equals(actor)) {
                if (at < r.getAt()) {
                    responders.remove(i);
                    insert(responders, new Responder(actor, at));
                }
                return;
            }
        }
        insert(responders, new Responder(actor, at));
        if (responders.size() > KEPT_RESPONDERS) {
            responders.remove(responders.size() - 1);
        }
    }

    /** Epoch millis of the first response, or null when there is none (or the start is unknown). */
    static Long firstResponseAt(ThreadState state) {
        if (state == null || state.getCreatedAt() == null) {
            return null;
        }
        Long first = state.getEarliestAnonymousReplyAt();
        for (Responder r : state.getResponders()) {
            if (!r.getActorId().equals(state.getAuthor())) {
                if (first == null || r.getAt() < first) {
                    first = r.getAt();
                }
                // Responders are in time order: the first non-author one is the earliest.
                break;
            }
        }
        return first;
    }

    /** First response time in whole seconds, rounded down, never negative; null when none. */
    static Long firstResponseSeconds(ThreadState state) {
        Long at = firstResponseAt(state);
        return at == null ? null : Math.max(0, at - state.getCreatedAt()) / 1000;
    }

    private static void insert(List<Responder> responders, Responder r) {
        int at = 0;
        // Ties on time are broken by actor id so the kept pair does not depend on arrival order.
        while (at < responders.size() && (responders.get(at).getAt() < r.getAt()
                || responders.get(at).getAt() == r.getAt()
                && responders.get(at).getActorId().compareTo(r.getActorId()) < 0)) {
            at++;
        }
        responders.add(at, r);
    }
}
