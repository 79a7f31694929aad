package dev.hallpass.audit;

import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;

/** Checks one commit's signature during the audit; see {@link CommitSigning}. */
@FunctionalInterface
public interface CommitVerifier {
    /** A finding when the commit's signature is missing where required, or does not verify. */
    Optional<Finding> verify(RevCommit commit, Trailers trailers);
}
