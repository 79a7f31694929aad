package dev.hallpass.request;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Cross-checks between files: what one file names must exist in another and agree with it. */
final class Validator {
    private Validator() {}

    static void check(
            Optional<Settings> settings,
            Catalog catalog,
            ConfigParser.ParsedRoles parsedRoles,
            Optional<OnCall> onCall,
            Collection<RequestParser.Parsed> requests,
            Problems problems) {
        settings.ifPresent(s -> {
            for (Principal p : s.platformOwners()) {
                if (p instanceof Principal.GroupRef g && !catalog.groups().containsKey(g.group())) {
                    problems.add(
                            Settings.FILE,
                            Pos.FILE,
                            "settings.platform_owners.unknown_group",
                            "platform_owners names group '" + g.group() + "', which is not in " + Catalog.GROUPS_FILE);
                }
            }
        });
        Map<RoleName, Pos> rolePositions = parsedRoles.positions();
        for (Catalog.Role role : catalog.roles().values()) {
            Pos pos = rolePositions.getOrDefault(role.name(), Pos.FILE);
            checkPrincipals(catalog, role.eligible(), pos, problems);
            checkPrincipals(catalog, role.delegates(), pos, problems);
            if (catalog.expand(role.eligible()).isEmpty()) {
                problems.add(
                        Catalog.ROLES_FILE,
                        pos,
                        "catalog.role.eligible.empty",
                        "nobody is eligible for role '" + role.name() + "'");
            }
            for (Catalog.RoleEnvironment env : role.environments().values()) {
                checkPrincipals(catalog, env.approvers(), pos, problems);
                settings.ifPresent(s -> {
                    if (!s.environments().containsKey(env.environment())) {
                        problems.add(
                                Catalog.ROLES_FILE,
                                pos,
                                "catalog.role.environment.unknown",
                                "role '" + role.name() + "' names environment '" + env.environment()
                                        + "', which hallpass.yaml does not declare");
                    }
                    if (!s.providers().containsKey(env.provider())) {
                        problems.add(
                                Catalog.ROLES_FILE,
                                pos,
                                "catalog.role.provider.unknown",
                                "role '" + role.name() + "' uses provider '" + env.provider()
                                        + "', which hallpass.yaml does not declare");
                    }
                });
                if (env.approvals() > 0 && catalog.expand(env.approvers()).size() < env.approvals() + 1) {
                    // The requester never approves their own request, so one more approver than approvals is needed.
                    problems.add(
                            Catalog.ROLES_FILE,
                            pos,
                            "catalog.role.approvers.too_few",
                            "role '" + role.name() + "' in " + env.environment() + " needs " + env.approvals()
                                    + " approval(s) but names only "
                                    + catalog.expand(env.approvers()).size()
                                    + " approver(s); a requester cannot approve their own request");
                }
            }
        }
        onCall.ifPresent(oc -> {
            for (OnCall.Rotation r : oc.rotations().values()) {
                for (Login person : r.people()) {
                    boolean known = catalog.groups().values().stream()
                                    .anyMatch(g -> g.members().contains(person))
                            || catalog.roles().values().stream().anyMatch(role -> catalog.expand(role.eligible())
                                    .contains(person));
                    if (!known) {
                        problems.add(
                                OnCall.FILE,
                                Pos.FILE,
                                "oncall.person.unknown",
                                "'" + person + "' is in rotation '" + r.name()
                                        + "' but in no group or role of the catalog");
                    }
                }
            }
        });
        for (RequestParser.Parsed p : requests) {
            checkRequest(settings, catalog, rolePositions.keySet(), p, problems);
        }
    }

    /**
     * Cross-checks what parsed of one request against the settings and catalog. {@code declaredRoles} are
     * roles written in the catalog even if broken, so a broken role is not also reported as unknown.
     */
    static void checkRequest(
            Optional<Settings> settings,
            Catalog catalog,
            java.util.Set<RoleName> declaredRoles,
            RequestParser.Parsed parsed,
            Problems problems) {
        RequestParser.Draft r = parsed.draft();
        String file = parsed.file();
        settings.ifPresent(s -> r.environment().ifPresent(env -> {
            if (!s.environments().containsKey(env)) {
                problems.add(
                        file,
                        parsed.pos("environment"),
                        "request.environment.unknown",
                        "environment '" + env + "' is not declared in hallpass.yaml");
            }
        }));
        if (r.emergency()) {
            settings.ifPresent(s -> {
                r.incident().ifPresent(i -> {
                    if (!s.emergency().incidentPattern().matcher(i).matches()) {
                        problems.add(
                                file,
                                parsed.pos("incident"),
                                "request.incident.pattern",
                                "incident '" + Login.printable(i) + "' does not match "
                                        + s.emergency().incidentPattern().pattern());
                    }
                });
                r.duration().ifPresent(d -> {
                    if (d.value().compareTo(s.emergency().maxDuration()) > 0) {
                        problems.add(
                                file,
                                parsed.pos("duration"),
                                "request.duration.exceeds_emergency_max",
                                "an emergency grant lasts at most "
                                        + AccessDuration.format(s.emergency().maxDuration()) + ", asked for " + d);
                    }
                });
            });
        }
        if (r.role().isEmpty()) {
            return;
        }
        RoleName roleName = r.role().get();
        Optional<Catalog.Role> found = catalog.role(roleName);
        if (found.isEmpty()) {
            if (!declaredRoles.contains(roleName)) {
                problems.add(
                        file,
                        parsed.pos("role"),
                        "catalog.role.unknown",
                        "role '" + roleName + "' is not in the catalog");
            }
            return;
        }
        Catalog.Role role = found.get();
        r.environment().ifPresent(env -> {
            if (!role.environments().containsKey(env)) {
                problems.add(
                        file,
                        parsed.pos("environment"),
                        "request.environment.not_allowed",
                        "role '" + roleName + "' cannot be requested in " + env + "; it exists in "
                                + role.environments().keySet().stream()
                                        .map(Object::toString)
                                        .sorted()
                                        .toList());
            }
        });
        r.requester().ifPresent(who -> {
            if (!catalog.expand(role.eligible()).contains(who)) {
                problems.add(
                        file,
                        parsed.pos("requester"),
                        "request.requester.not_eligible",
                        "'" + who + "' is not eligible for role '" + roleName + "' (eligible: " + role.eligible()
                                + ")");
            }
        });
        r.duration().ifPresent(d -> {
            if (d.value().compareTo(role.maxDuration()) > 0) {
                problems.add(
                        file,
                        parsed.pos("duration"),
                        "request.duration.exceeds_role_max",
                        "duration " + d + " exceeds the maximum of " + AccessDuration.format(role.maxDuration())
                                + " for role '" + roleName + "'");
            }
        });
        if (r.emergency() && !role.emergency()) {
            problems.add(
                    file,
                    parsed.pos("emergency"),
                    "request.emergency.not_allowed",
                    "role '" + roleName + "' cannot be requested as an emergency");
        }
    }

    private static void checkPrincipals(Catalog catalog, List<Principal> principals, Pos pos, Problems problems) {
        for (Principal p : principals) {
            if (p instanceof Principal.GroupRef g && !catalog.groups().containsKey(g.group())) {
                problems.add(
                        Catalog.ROLES_FILE,
                        pos,
                        "catalog.group.unknown",
                        "group '" + g.group() + "' is not in " + Catalog.GROUPS_FILE);
            }
        }
    }
}
