package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** units.parse (SI and binary suffixes, milli) and units.parse_bytes, as OPA parses them. */
final class Units {
    private Units() {}

    /** Exponents beyond this are refused rather than building astronomically large numbers. */
    static final int MAX_EXPONENT = 1000;

    static void register(Reg r) {
        r.fn("units.parse", 1, (ctx, a) -> {
            String s = Args.str("units.parse", a, 0).replace("\"", "");
            String[] nu = split("units.parse", s, "no amount provided");
            BigDecimal mult =
                    switch (nu[1]) {
                        case "" -> BigDecimal.ONE;
                        case "m" -> new BigDecimal("0.001");
                        case "k", "K" -> pow(1000, 1);
                        case "ki", "Ki" -> pow(1024, 1);
                        case "M" -> pow(1000, 2);
                        case "mi", "Mi" -> pow(1024, 2);
                        case "g", "G" -> pow(1000, 3);
                        case "gi", "Gi" -> pow(1024, 3);
                        case "t", "T" -> pow(1000, 4);
                        case "ti", "Ti" -> pow(1024, 4);
                        case "p", "P" -> pow(1000, 5);
                        case "pi", "Pi" -> pow(1024, 5);
                        case "e", "E" -> pow(1000, 6);
                        case "ei", "Ei" -> pow(1024, 6);
                        default -> throw BuiltinException.error("units.parse", "unit " + nu[1] + " not recognized");
                    };
            BigDecimal n = number("units.parse", nu[0], "could not parse amount to a number");
            return Value.num(n.multiply(mult));
        });
        r.fn("units.parse_bytes", 1, (ctx, a) -> {
            String s =
                    Args.str("units.parse_bytes", a, 0).toLowerCase(Locale.ROOT).replace("\"", "");
            String[] nu = split("units.parse_bytes", s, "no byte amount provided");
            BigDecimal mult =
                    switch (nu[1]) {
                        case "" -> BigDecimal.ONE;
                        case "kb", "k" -> pow(1000, 1);
                        case "kib", "ki" -> pow(1024, 1);
                        case "mb", "m" -> pow(1000, 2);
                        case "mib", "mi" -> pow(1024, 2);
                        case "gb", "g" -> pow(1000, 3);
                        case "gib", "gi" -> pow(1024, 3);
                        case "tb", "t" -> pow(1000, 4);
                        case "tib", "ti" -> pow(1024, 4);
                        case "pb", "p" -> pow(1000, 5);
                        case "pib", "pi" -> pow(1024, 5);
                        case "eb", "e" -> pow(1000, 6);
                        case "eib", "ei" -> pow(1024, 6);
                        default -> throw BuiltinException.error(
                                "units.parse_bytes", "byte unit " + nu[1] + " not recognized");
                    };
            BigDecimal n = number("units.parse_bytes", nu[0], "could not parse byte amount to a number");
            return Value.num(n.multiply(mult).setScale(0, RoundingMode.DOWN));
        });
    }

    private static BigDecimal pow(int base, int n) {
        return BigDecimal.valueOf(base).pow(n);
    }

    /** Splits into the amount (digits, '.', and an exponent such as e3 or E-2) and the unit. */
    private static String[] split(String fn, String s, String noAmount) {
        if (s.contains(" ")) {
            throw BuiltinException.error(fn, "spaces not allowed in resource strings");
        }
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i < s.length() && i > 0 && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < s.length() && Character.isDigit(s.charAt(j))) {
                while (j < s.length() && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                i = j;
            }
        }
        if (i == 0) {
            throw BuiltinException.error(fn, noAmount);
        }
        return new String[] {s.substring(0, i), s.substring(i)};
    }

    private static BigDecimal number(String fn, String num, String invalid) {
        int e = Math.max(num.indexOf('e'), num.indexOf('E'));
        if (e >= 0) {
            String exp = num.substring(e + 1).replace("+", "");
            String digits = exp.replace("-", "").replaceFirst("^0+(?=.)", "");
            if (digits.length() > 6 || Integer.parseInt(digits) > MAX_EXPONENT) {
                throw BuiltinException.error(fn, "exponent too large");
            }
        }
        if (!num.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw BuiltinException.error(fn, invalid);
        }
        try {
            return new BigDecimal(num.startsWith(".") ? "0" + num : num);
        } catch (NumberFormatException ex) {
            throw BuiltinException.error(fn, invalid);
        }
    }
}
