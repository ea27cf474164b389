package io.pyrometer.promql.engine;

/** Element-wise functions of one float ({@code abs}, {@code ln}, trigonometry, ...). */
enum MathFunctions {
    ABS { double apply(double v) { return Math.abs(v); } },
    CEIL { double apply(double v) { return Math.ceil(v); } },
    FLOOR { double apply(double v) { return Math.floor(v); } },
    EXP { double apply(double v) { return Math.exp(v); } },
    SQRT { double apply(double v) { return Math.sqrt(v); } },
    LN { double apply(double v) { return Math.log(v); } },
    LOG2 { double apply(double v) { return log2(v); } },
    LOG10 { double apply(double v) { return Math.log10(v); } },
    SIN { double apply(double v) { return Math.sin(v); } },
    COS { double apply(double v) { return Math.cos(v); } },
    TAN { double apply(double v) { return Math.tan(v); } },
    ASIN { double apply(double v) { return Math.asin(v); } },
    ACOS { double apply(double v) { return Math.acos(v); } },
    ATAN { double apply(double v) { return Math.atan(v); } },
    SINH { double apply(double v) { return Math.sinh(v); } },
    COSH { double apply(double v) { return Math.cosh(v); } },
    TANH { double apply(double v) { return Math.tanh(v); } },
    ASINH { double apply(double v) { return asinh(v); } },
    ACOSH { double apply(double v) { return v < 1 ? Double.NaN : Math.log(v + Math.sqrt(v * v - 1)); } },
    ATANH { double apply(double v) { return atanh(v); } },
    RAD { double apply(double v) { return v * Math.PI / 180; } },
    DEG { double apply(double v) { return v * 180 / Math.PI; } },
    SGN { double apply(double v) { return v < 0 ? -1 : v > 0 ? 1 : v; } };

    abstract double apply(double v);

    /** The function called {@code name} in PromQL, or null. */
    static MathFunctions byName(String name) {
        for (MathFunctions f : values()) if (f.name().equalsIgnoreCase(name)) return f;
        return null;
    }

    /** Exact for powers of two, as Go's math.Log2. */
    static double log2(double v) {
        if (v > 0 && !Double.isInfinite(v)) {
            int exp = Math.getExponent(v);
            if (exp >= Double.MIN_EXPONENT && v == Math.scalb(1.0, exp)) return exp;
        }
        return Math.log(v) / Math.log(2);
    }

    static double asinh(double v) {
        if (Double.isInfinite(v) || v == 0) return v;
        double a = Math.abs(v);
        double r = Math.log(a + Math.sqrt(a * a + 1));
        return v < 0 ? -r : r;
    }

    static double atanh(double v) {
        if (v < -1 || v > 1) return Double.NaN;
        if (v == 1) return Double.POSITIVE_INFINITY;
        if (v == -1) return Double.NEGATIVE_INFINITY;
        if (v == 0) return v;
        return 0.5 * Math.log((1 + v) / (1 - v));
    }
}
