package dev.hallpass.audit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** Diffs a slice of the chain; one per thread, since readers and tree walks are not thread-safe. */
final class TreeDiffer implements AutoCloseable {
    private final ObjectReader reader;
    private final TreeWalk tw;
    private ObjectId lastAudit;
    private ObjectId lastReviews;

    TreeDiffer(ObjectReader reader) {
        this.reader = reader;
        this.tw = new TreeWalk(reader);
        tw.setRecursive(true);
        tw.setFilter(TreeFilter.ANY_DIFF);
    }

    void run(List<RevCommit> chain, int lo, int hi, List<List<Change>> out) throws IOException {
        try (tw) {
            ObjectId[] prev = lo == 0 ? null : subtrees(chain.get(lo - 1).getTree());
            for (int i = lo; i < hi; i++) {
                RevCommit c = chain.get(i);
                ObjectId[] after = subtrees(c.getTree());
                ObjectId[] before;
                if (c.getParentCount() == 0) {
                    before = new ObjectId[2];
                } else if (i > 0 && c.getParent(0).equals(chain.get(i - 1))) {
                    before = prev;
                } else {
                    // Not reached by a first-parent chain; kept for shallow or odd histories.
                    try (RevWalk w = new RevWalk(reader)) {
                        before = subtrees(w.parseCommit(c.getParent(0)).getTree());
                    }
                }
                List<Change> changes = new ArrayList<>(0);
                diff(AuditLog.REQUESTS + "/", before[0], after[0], changes);
                diff(AuditLog.REVIEWS + "/", before[1], after[1], changes);
                out.set(i, changes); // distinct indices per thread; the pool's join publishes them
                prev = after;
            }
        }
    }

    /**
     * The ids of {@code requests/} and {@code audit/reviews/} in a root tree (null when absent), reading
     * only the root tree, and {@code audit/} only when it changed since the last commit.
     */
    ObjectId[] subtrees(ObjectId rootTree) throws IOException {
        CanonicalTreeParser p = new CanonicalTreeParser();
        p.reset(reader, rootTree);
        ObjectId requests = null;
        ObjectId audit = null;
        for (; !p.eof(); p.next()) {
            if (FileMode.TREE.equals(p.getEntryRawMode())) {
                String name = p.getEntryPathString();
                if (name.equals(AuditLog.REQUESTS)) {
                    requests = p.getEntryObjectId();
                } else if (name.equals("audit")) {
                    audit = p.getEntryObjectId();
                }
            }
        }
        ObjectId reviews = null;
        if (audit != null) {
            if (audit.equals(lastAudit)) {
                reviews = lastReviews;
            } else {
                CanonicalTreeParser a = new CanonicalTreeParser();
                a.reset(reader, audit);
                for (; !a.eof(); a.next()) {
                    if (FileMode.TREE.equals(a.getEntryRawMode())
                            && a.getEntryPathString().equals("reviews")) {
                        reviews = a.getEntryObjectId();
                    }
                }
                lastAudit = audit;
                lastReviews = reviews;
            }
        }
        return new ObjectId[] {requests, reviews};
    }

    void diff(String prefix, ObjectId before, ObjectId after, List<Change> out) throws IOException {
        if (java.util.Objects.equals(before, after)) {
            return;
        }
        tw.reset();
        if (before == null) {
            tw.addTree(new EmptyTreeIterator());
        } else {
            tw.addTree(before);
        }
        if (after == null) {
            tw.addTree(new EmptyTreeIterator());
        } else {
            tw.addTree(after);
        }
        while (tw.next()) {
            int m0 = tw.getRawMode(0);
            int m1 = tw.getRawMode(1);
            boolean was = FileMode.REGULAR_FILE.equals(m0) || FileMode.EXECUTABLE_FILE.equals(m0);
            boolean is = FileMode.REGULAR_FILE.equals(m1) || FileMode.EXECUTABLE_FILE.equals(m1);
            char type;
            if (!was && is) {
                type = 'A';
            } else if (was && !is) {
                type = 'D';
            } else if (was) {
                type = 'M';
            } else {
                continue;
            }
            out.add(new Change(type, prefix + tw.getPathString(), tw.getObjectId(0), tw.getObjectId(1)));
        }
    }

    /** A file added ({@code A}), modified ({@code M}) or deleted ({@code D}) under a watched directory. */
    record Change(char type, String path, ObjectId oldBlob, ObjectId newBlob) {}

    @Override
    public void close() {
        tw.close();
    }
}
