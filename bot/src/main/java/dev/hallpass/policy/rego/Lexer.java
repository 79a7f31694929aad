package dev.hallpass.policy.rego;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits Rego source into tokens. */
final class Lexer {
    enum Kind {
        IDENT,
        STRING,
        TEMPLATE,
        NUMBER,
        OP,
        EOF
    }

    static final Set<String> KEYWORDS = Set.of(
            "package",
            "import",
            "as",
            "default",
            "else",
            "if",
            "contains",
            "some",
            "in",
            "every",
            "not",
            "with",
            "true",
            "false",
            "null");

    /**
     * A token. {@code nl} is true when a newline separates it from the previous token; {@code kw} is true
     * when an IDENT is a keyword here (a keyword right after or before a dot is a plain name).
     */
    record Token(Kind kind, String text, int row, int col, boolean nl, boolean kw, int start, int end) {
        boolean is(String op) {
            return kind == Kind.OP && text.equals(op);
        }

        boolean isKw(String k) {
            return kind == Kind.IDENT && kw && text.equals(k);
        }
    }

    private final String src;
    private final String file;
    private int pos;
    private int row = 1;
    private int lineStart;
    final List<Ast.Comment> comments = new ArrayList<>();
    /** The parts of each template string ({@code $"..."}), by the token's start offset. */
    final java.util.Map<Integer, List<TemplatePart>> templates = new java.util.HashMap<>();

    /** A literal piece of a template string, or the source of one {@code {expression}} and where it starts. */
    record TemplatePart(boolean expr, String text, int row, int col) {}

    Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    List<Token> tokenize() {
        List<Token> out = new ArrayList<>();
        boolean nl = true;
        while (true) {
            // skip whitespace and comments
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '\n') {
                    nl = true;
                    pos++;
                    row++;
                    lineStart = pos;
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                } else if (c == '#') {
                    int s = pos;
                    int col = pos - lineStart + 1;
                    while (pos < src.length() && src.charAt(pos) != '\n') {
                        pos++;
                    }
                    comments.add(new Ast.Comment(src.substring(s + 1, pos), new Ast.Loc(file, row, col)));
                } else {
                    break;
                }
            }
            int col = pos - lineStart + 1;
            int start = pos;
            if (pos >= src.length()) {
                out.add(new Token(Kind.EOF, "<EOF>", row, col, true, false, pos, pos));
                return out;
            }
            char c = src.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                String w = src.substring(start, pos);
                boolean afterDot = start > 0 && src.charAt(start - 1) == '.';
                boolean beforeDot = pos < src.length()
                        && src.charAt(pos) == '.'
                        && !(pos + 1 < src.length() && Character.isWhitespace(src.charAt(pos + 1)));
                boolean kw = KEYWORDS.contains(w) && !afterDot && !beforeDot;
                out.add(new Token(Kind.IDENT, w, row, col, nl, kw, start, pos));
            } else if (Character.isDigit(c)
                    || (c == '.'
                            && pos + 1 < src.length()
                            && Character.isDigit(src.charAt(pos + 1))
                            && (out.isEmpty() || !endsTerm(out.get(out.size() - 1))))) {
                lexNumber();
                out.add(new Token(Kind.NUMBER, src.substring(start, pos), row, col, nl, false, start, pos));
            } else if (c == '$'
                    && pos + 1 < src.length()
                    && (src.charAt(pos + 1) == '"' || src.charAt(pos + 1) == '`')) {
                int r = row;
                templates.put(start, lexTemplate());
                out.add(new Token(Kind.TEMPLATE, src.substring(start, pos), r, col, nl, false, start, pos));
            } else if (c == '"') {
                String s = lexString();
                out.add(new Token(Kind.STRING, s, row, col, nl, false, start, pos));
            } else if (c == '`') {
                int e = src.indexOf('`', pos + 1);
                if (e < 0) {
                    throw error("non-terminated raw string", row, col);
                }
                String s = src.substring(pos + 1, e);
                int startRow = row;
                for (int i = pos; i < e; i++) {
                    if (src.charAt(i) == '\n') {
                        row++;
                        lineStart = i + 1;
                    }
                }
                pos = e + 1;
                out.add(new Token(Kind.STRING, s, startRow, col, nl, false, start, pos));
            } else {
                String op = null;
                for (String o : new String[] {":=", "==", "!=", "<=", ">="}) {
                    if (src.startsWith(o, pos)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    if ("{}[]().,;:=<>+-*/%|&".indexOf(c) < 0) {
                        throw error("illegal token '" + c + "'", row, col);
                    }
                    op = String.valueOf(c);
                }
                pos += op.length();
                out.add(new Token(Kind.OP, op, row, col, nl, false, start, pos));
            }
            nl = false;
        }
    }

    private static boolean endsTerm(Token t) {
        return t.kind == Kind.IDENT || t.is(")") || t.is("]") || t.is("}");
    }

    private void lexNumber() {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos < src.length()
                && src.charAt(pos) == '.'
                && pos + 1 < src.length()
                && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
    }

    /**
     * {@code $"..."} or {@code $`...`}: literal text, with {@code \{} for a brace, and {@code {expr}}
     * pieces whose source is kept for the parser (strings and braces inside them are skipped over).
     */
    private List<TemplatePart> lexTemplate() {
        int r = row;
        int col = pos - lineStart + 1;
        boolean raw = src.charAt(pos + 1) == '`';
        char close = raw ? '`' : '"';
        pos += 2;
        List<TemplatePart> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        while (true) {
            if (pos >= src.length() || (!raw && src.charAt(pos) == '\n')) {
                throw error("non-terminated template string", r, col);
            }
            char c = src.charAt(pos);
            if (c == close) {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
                lit.append('{');
                pos += 2;
            } else if (c == '\\' && !raw) {
                lit.append(escape(r, col));
            } else if (c == '{') {
                if (lit.length() > 0) {
                    parts.add(new TemplatePart(false, lit.toString(), r, col));
                    lit.setLength(0);
                }
                int exprRow = row;
                int exprCol = pos + 1 - lineStart + 1;
                int s = ++pos;
                int depth = 1;
                while (depth > 0) {
                    if (pos >= src.length()) {
                        throw error("non-terminated template expression", r, col);
                    }
                    char d = src.charAt(pos);
                    if (d == '"') {
                        lexString();
                        continue;
                    }
                    if (d == '`') {
                        int e = src.indexOf('`', pos + 1);
                        pos = e < 0 ? src.length() : e + 1;
                        continue;
                    }
                    if (d == '\n') {
                        row++;
                        lineStart = pos + 1;
                    }
                    depth += d == '{' ? 1 : d == '}' ? -1 : 0;
                    pos++;
                }
                String expr = src.substring(s, pos - 1);
                if (expr.isBlank()) {
                    throw error("empty template expression", exprRow, exprCol);
                }
                parts.add(new TemplatePart(true, expr, exprRow, exprCol));
            } else {
                if (c == '\n') {
                    row++;
                    lineStart = pos + 1;
                }
                lit.append(c);
                pos++;
            }
        }
        if (lit.length() > 0) {
            parts.add(new TemplatePart(false, lit.toString(), r, col));
        }
        return parts;
    }

    /** One escape sequence of a double-quoted string, at the backslash. */
    private String escape(int r, int col) {
        pos++;
        if (pos >= src.length()) {
            throw error("non-terminated string", r, col);
        }
        char e = src.charAt(pos++);
        switch (e) {
            case '"':
                return "\"";
            case '\\':
                return "\\";
            case '/':
                return "/";
            case 'b':
                return "\b";
            case 'f':
                return "\f";
            case 'n':
                return "\n";
            case 'r':
                return "\r";
            case 't':
                return "\t";
            case 'u':
                if (pos + 4 > src.length()) {
                    throw error("illegal escape sequence", r, col);
                }
                try {
                    String out = String.valueOf((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    pos += 4;
                    return out;
                } catch (NumberFormatException ex) {
                    throw error("illegal escape sequence", r, col);
                }
            default:
                throw error("illegal escape sequence", r, col);
        }
    }

    private String lexString() {
        int r = row;
        int col = pos - lineStart + 1;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw error("non-terminated string", r, col);
            }
            char c = src.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) {
                throw error("non-terminated string", r, col);
            }
            char e = src.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) {
                        throw error("illegal escape sequence", r, col);
                    }
                    try {
                        sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("illegal escape sequence", r, col);
                    }
                    pos += 4;
                }
                default -> throw error("illegal escape sequence", r, col);
            }
        }
    }

    private RegoException error(String msg, int r, int c) {
        return RegoException.compile("rego_parse_error", msg, new Ast.Loc(file, r, c));
    }
}
