package dev.hallpass.request;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** {@code catalog/}: the roles that can be requested and the groups of people named by them. */
public record Catalog(Map<RoleName, Role> roles, Map<GroupName, Group> groups) {
    public static final String ROLES_FILE = "catalog/roles.yaml";
    public static final String GROUPS_FILE = "catalog/groups.yaml";

    public Catalog {
        roles = Map.copyOf(roles);
        groups = Map.copyOf(groups);
    }

    public Optional<Role> role(RoleName name) {
        return Optional.ofNullable(roles.get(name));
    }

    /** Expands principals (logins and {@code group:} references) into logins. */
    public Set<Login> expand(List<Principal> principals) {
        Set<Login> out = new LinkedHashSet<>();
        for (Principal p : principals) {
            if (p instanceof Principal.Person person) {
                out.add(person.login());
            } else if (p instanceof Principal.GroupRef g && groups.containsKey(g.group())) {
                out.addAll(groups.get(g.group()).members());
            }
        }
        return out;
    }

    /**
     * A role that can be requested.
     *
     * @param eligible who may receive it
     * @param delegates who may open a request on behalf of an eligible person (e.g. an incident commander)
     */
    public record Role(
            RoleName name,
            String description,
            Duration maxDuration,
            boolean emergency,
            List<Principal> eligible,
            List<Principal> delegates,
            Map<EnvironmentName, RoleEnvironment> environments) {
        public Role {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(maxDuration, "maxDuration");
            eligible = List.copyOf(eligible);
            delegates = List.copyOf(delegates);
            environments = Map.copyOf(environments);
        }
    }

    /** How a role is granted in one environment, and who must approve it there. */
    public record RoleEnvironment(
            EnvironmentName environment,
            ProviderName provider,
            String target,
            int approvals,
            List<Principal> approvers) {
        public RoleEnvironment {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(target, "target");
            approvers = List.copyOf(approvers);
            if (approvals < 0 || approvals > 10) {
                throw new InvalidValueException("out_of_range", "approvals must be between 0 and 10");
            }
        }
    }

    public record Group(GroupName name, String description, List<Login> members) {
        public Group {
            Objects.requireNonNull(name, "name");
            members = List.copyOf(members);
        }
    }
}
