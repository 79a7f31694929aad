package dev.hallpass.request;

/** Someone named in the catalog: a person by login, or a group as {@code group:<name>}. */
public sealed interface Principal permits Principal.Person, Principal.GroupRef {
    String GROUP_PREFIX = "group:";

    static Principal parse(String text) {
        if (text != null && text.startsWith(GROUP_PREFIX)) {
            return new GroupRef(new GroupName(text.substring(GROUP_PREFIX.length())));
        }
        return new Person(new Login(text));
    }

    record Person(Login login) implements Principal {
        @Override
        public String toString() {
            return login.value();
        }
    }

    record GroupRef(GroupName group) implements Principal {
        @Override
        public String toString() {
            return GROUP_PREFIX + group.value();
        }
    }
}
