package org.communitypulse.connect;

/**
 * Follows a Discourse forum's new topics and posts through its API ({@code /posts.json}, newest first, paged with
 * {@code before}) and publishes them as activity events, with the ids of {@code pulse import discourse} and the
 * webhooks. One task: a forum's post stream is one ordered sequence (offset: the last published post id).
 */
public final class DiscoursePollerSourceConnector extends PollerSourceConnector<DiscoursePollerConfig> {

    public DiscoursePollerSourceConnector() {
        super(DiscoursePollerConfig::new, DiscoursePollerConfig::apiSettings, DiscoursePollerSourceTask.class,
                DiscoursePollerConfig.CONFIG_DEF);
    }
}
