package io.pyrometer.promql.parser;

import io.pyrometer.promql.ast.PosRange;

/** One problem found while parsing or type-checking; the first one found is reported. */
record ParseError(PosRange pos, String message) {}
