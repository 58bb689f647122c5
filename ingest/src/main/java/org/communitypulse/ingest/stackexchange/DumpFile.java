package org.communitypulse.ingest.stackexchange;

/**
 * The files of a Stack Exchange dump that the importer reads, in the order it reads them: Posts first,
 * because the others need to know which question each answer belongs to.
 */
public enum DumpFile {
    POSTS("Posts.xml", "post"),
    USERS("Users.xml", "user"),
    COMMENTS("Comments.xml", "comment"),
    VOTES("Votes.xml", "vote"),
    POST_HISTORY("PostHistory.xml", "posthistory"),
    BADGES("Badges.xml", "badge");

    private final String fileName;
    private final String itemKind;

    DumpFile(String fileName, String itemKind) {
        this.fileName = fileName;
        this.itemKind = itemKind;
    }

    /** File name inside the dump folder, e.g. {@code Posts.xml}. */
    public String fileName() {
        return fileName;
    }

    /** Item kind used in event ids (see {@link org.communitypulse.ingest.EventIds}), e.g. {@code post}. */
    public String itemKind() {
        return itemKind;
    }
}
