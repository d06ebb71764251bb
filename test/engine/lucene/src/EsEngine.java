import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.AutomatonQuery;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocValuesFieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.NormsFieldExistsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;

/**
 * The engine harness: indexes documents the way Elasticsearch maps them and runs Lucene query
 * strings (parsed like Elasticsearch's `query_string`) and Elasticsearch query DSL (each clause
 * built as the Lucene query Elasticsearch builds for it) against them, with Apache Lucene.
 *
 * Input: JSON lines on stdin, one request each:
 *   {"id": "...", "fields": {"<path>": "text"|"keyword"|"wildcard"|"long"|"boolean"|"date", ...},
 *    "docs": [{"<path>": [values...]}, ...], "queries": [{"lucene": "..."} | {"dsl": {...}}]}
 * Values are strings (text, keyword, wildcard), integers (long; date as epoch milliseconds) or
 * booleans. A wildcard field is indexed and queried as a keyword field: Elasticsearch's
 * wildcard type answers term, terms, prefix, wildcard and regexp queries (case_insensitive
 * included) on the whole value with keyword semantics, and query_string analyses its text with
 * the keyword analyzer; only how it finds the matches (ngrams, then a check of each value)
 * differs, which no verdict depends on.
 * Output: one JSON line per request, in order:
 *   {"id": "...", "results": [{"matches": [doc indexes], "type": "...", "query": "...",
 *    "terms": [["field", "text"], ...]} | {"error": "..."}]}
 */
public final class EsEngine {
  static final int MAX_DETERMINIZED_STATES = 10000;
  static final String IDX = "_idx";

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.trim().isEmpty()) continue;
      Map<String, Object> response = new LinkedHashMap<>();
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) Json.parse(line);
        response.put("id", request.get("id"));
        response.put("results", run(request));
      } catch (Exception e) {
        response.put("error", e.toString());
      }
      out.println(Json.write(response));
    }
    out.flush();
  }

  @SuppressWarnings("unchecked")
  static List<Object> run(Map<String, Object> request) throws Exception {
    Map<String, String> types = new HashMap<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) request.get("fields")).entrySet()) {
      String type = (String) e.getValue();
      types.put(e.getKey(), type.equals("wildcard") ? "keyword" : type);
    }
    Map<String, Analyzer> perField = new HashMap<>();
    for (Map.Entry<String, String> e : types.entrySet()) {
      if (e.getValue().equals("text")) perField.put(e.getKey(), new StandardAnalyzer(CharArraySet.EMPTY_SET));
    }
    Analyzer analyzer = new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), perField);

    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    List<Object> docs = (List<Object>) request.get("docs");
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
      for (int i = 0; i < docs.size(); i++) {
        Document doc = new Document();
        doc.add(new StoredField(IDX, i));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) docs.get(i)).entrySet()) {
          String type = types.get(e.getKey());
          if (type == null) throw new IllegalArgumentException("document field not in the mapping: " + e.getKey());
          for (Object v : (List<Object>) e.getValue()) addField(doc, e.getKey(), type, v);
        }
        w.addDocument(doc);
      }
    }
    List<Object> results = new ArrayList<>();
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      for (Object q : (List<Object>) request.get("queries")) {
        Map<String, Object> spec = (Map<String, Object>) q;
        Map<String, Object> result = new LinkedHashMap<>();
        try {
          Query query;
          if (spec.containsKey("lucene")) {
            EsQueryParser parser = new EsQueryParser(types, analyzer);
            query = parser.parse((String) spec.get("lucene"));
          } else {
            query = Dsl.build(spec.get("dsl"), types);
          }
          TreeSet<Integer> matches = new TreeSet<>();
          for (ScoreDoc sd : searcher.search(query, Math.max(1, docs.size())).scoreDocs) {
            matches.add(reader.document(sd.doc).getField(IDX).numericValue().intValue());
          }
          result.put("matches", new ArrayList<Object>(matches));
          result.put("type", query.getClass().getSimpleName());
          result.put("query", query.toString());
          List<Object> terms = new ArrayList<>();
          query.visit(new QueryVisitor() {
            @Override
            public void consumeTerms(Query q, Term... ts) {
              for (Term t : ts) {
                List<Object> pair = new ArrayList<>();
                pair.add(t.field());
                pair.add(t.text());
                terms.add(pair);
              }
            }

            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
              return this;
            }
          });
          result.put("terms", terms);
        } catch (Exception | Error e) {
          result.put("error", e.toString());
        }
        results.add(result);
      }
    }
    return results;
  }

  /** Adds one value the way Elasticsearch indexes a field of that mapping type. */
  static void addField(Document doc, String path, String type, Object v) {
    switch (type) {
      case "text":
        doc.add(new TextField(path, (String) v, Field.Store.NO));
        break;
      case "keyword":
        doc.add(new StringField(path, (String) v, Field.Store.NO));
        doc.add(new SortedSetDocValuesField(path, new BytesRef((String) v)));
        break;
      case "long":
      case "date": {
        long l = ((BigDecimal) v).longValueExact();
        doc.add(new LongPoint(path, l));
        doc.add(new SortedNumericDocValuesField(path, l));
        break;
      }
      case "boolean": {
        boolean b = (Boolean) v;
        doc.add(new StringField(path, b ? "T" : "F", Field.Store.NO));
        doc.add(new SortedNumericDocValuesField(path, b ? 1 : 0));
        break;
      }
      default:
        throw new IllegalArgumentException("unknown mapping type " + type);
    }
  }

  // ---- what Elasticsearch builds for a field, by mapping type --------------------------------

  static String typeOf(Map<String, String> types, String field) {
    String t = types.get(field);
    if (t == null) throw new IllegalArgumentException("field not in the mapping: " + field);
    return t;
  }

  /** Elasticsearch's exists query: doc values for keyword and numbers, norms for text. */
  static Query exists(Map<String, String> types, String field) {
    String t = types.get(field);
    if (t == null) return new MatchNoDocsQuery("unmapped field " + field);
    return t.equals("text") ? new NormsFieldExistsQuery(field) : new DocValuesFieldExistsQuery(field);
  }

  /** A term query for `value` (a JSON value or query-string text) on a field of any type. */
  static Query term(Map<String, String> types, String field, Object value, boolean caseInsensitive) {
    String t = typeOf(types, field);
    switch (t) {
      case "keyword":
      case "text": {
        String s = asText(value);
        if (caseInsensitive) return new AutomatonQuery(new Term(field, s), CaseInsensitive.string(s));
        return new TermQuery(new Term(field, s));
      }
      case "long": {
        BigDecimal d = asNumber(value);
        if (d.stripTrailingZeros().scale() > 0) return new MatchNoDocsQuery("decimal part");
        return LongPoint.newExactQuery(field, d.longValueExact());
      }
      case "date": {
        long ms = dateMillis(asText(value));
        return LongPoint.newExactQuery(field, ms);
      }
      case "boolean":
        return new TermQuery(new Term(field, asBoolean(value) ? "T" : "F"));
      default:
        throw new IllegalArgumentException("type " + t);
    }
  }

  /** A range over `field`; null bounds are open. Numbers round like Elasticsearch's long type. */
  static Query range(Map<String, String> types, String field, Object lower, Object upper, boolean includeLower, boolean includeUpper) {
    String t = typeOf(types, field);
    switch (t) {
      case "keyword":
        return TermRangeQuery.newStringRange(field, lower == null ? null : asText(lower), upper == null ? null : asText(upper), includeLower, includeUpper);
      case "long": {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        if (lower != null) {
          BigDecimal d = asNumber(lower);
          BigDecimal r = includeLower ? d.setScale(0, RoundingMode.CEILING) : d.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE);
          lo = r.longValueExact();
        }
        if (upper != null) {
          BigDecimal d = asNumber(upper);
          BigDecimal r = includeUpper ? d.setScale(0, RoundingMode.FLOOR) : d.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE);
          hi = r.longValueExact();
        }
        return LongPoint.newRangeQuery(field, lo, hi);
      }
      case "date": {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        if (lower != null) lo = dateMillis(asText(lower)) + (includeLower ? 0 : 1);
        if (upper != null) hi = dateMillis(asText(upper)) - (includeUpper ? 0 : 1);
        return LongPoint.newRangeQuery(field, lo, hi);
      }
      default:
        throw new IllegalArgumentException("range on a " + t + " field: " + field);
    }
  }

  static void requireKeyword(Map<String, String> types, String field, String what) {
    String t = typeOf(types, field);
    if (!t.equals("keyword")) throw new IllegalArgumentException(what + " on a " + t + " field is not used by the compiler: " + field);
  }

  static String asText(Object v) {
    if (v instanceof String) return (String) v;
    if (v instanceof BigDecimal) return ((BigDecimal) v).toPlainString();
    if (v instanceof Boolean) return v.toString();
    throw new IllegalArgumentException("not a scalar: " + v);
  }

  static BigDecimal asNumber(Object v) {
    if (v instanceof BigDecimal) return (BigDecimal) v;
    if (v instanceof String) return new BigDecimal((String) v);
    throw new IllegalArgumentException("not a number: " + v);
  }

  static boolean asBoolean(Object v) {
    if (v instanceof Boolean) return (Boolean) v;
    if ("true".equals(v)) return true;
    if ("false".equals(v)) return false;
    throw new IllegalArgumentException("not a boolean: " + v);
  }

  static long dateMillis(String s) {
    return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
  }

  /** Elasticsearch's `case_insensitive` automata (AutomatonQueries): ASCII letters only. */
  static final class CaseInsensitive {
    static Automaton chr(int cp) {
      Automaton one = Automata.makeChar(cp);
      if (cp > 128) return one;
      int alt = Character.isLowerCase(cp) ? Character.toUpperCase(cp) : Character.toLowerCase(cp);
      if (alt == cp) return one;
      return Operations.union(one, Automata.makeChar(alt));
    }

    static Automaton string(String s) {
      List<Automaton> parts = new ArrayList<>();
      for (int i = 0; i < s.length(); ) {
        int cp = s.codePointAt(i);
        parts.add(chr(cp));
        i += Character.charCount(cp);
      }
      return Operations.determinize(Operations.concatenate(parts), MAX_DETERMINIZED_STATES);
    }

    static Automaton prefix(String s) {
      List<Automaton> parts = new ArrayList<>();
      parts.add(string(s));
      parts.add(Automata.makeAnyString());
      return Operations.determinize(Operations.concatenate(parts), MAX_DETERMINIZED_STATES);
    }

    static Automaton wildcard(String pattern) {
      List<Automaton> parts = new ArrayList<>();
      for (int i = 0; i < pattern.length(); ) {
        int cp = pattern.codePointAt(i);
        int len = Character.charCount(cp);
        if (cp == '*') parts.add(Automata.makeAnyString());
        else if (cp == '?') parts.add(Automata.makeAnyChar());
        else if (cp == '\\' && i + len < pattern.length()) {
          int next = pattern.codePointAt(i + len);
          len += Character.charCount(next);
          parts.add(chr(next));
        } else parts.add(chr(cp));
        i += len;
      }
      return Operations.determinize(Operations.concatenate(parts), MAX_DETERMINIZED_STATES);
    }
  }

  // ---- the query DSL ---------------------------------------------------------------------------

  /** Builds the Lucene query Elasticsearch builds for each DSL clause the compiler emits. */
  static final class Dsl {
    @SuppressWarnings("unchecked")
    static Query build(Object node, Map<String, String> types) {
      Map<String, Object> m = (Map<String, Object>) node;
      if (m.size() != 1) throw new IllegalArgumentException("a query clause has exactly one key: " + m.keySet());
      String kind = m.keySet().iterator().next();
      Object body = m.get(kind);
      switch (kind) {
        case "match_all":
          return new MatchAllDocsQuery();
        case "match_none":
          return new MatchNoDocsQuery();
        case "bool":
          return bool((Map<String, Object>) body, types);
        case "exists": {
          Map<String, Object> b = (Map<String, Object>) body;
          return exists(types, (String) b.get("field"));
        }
        case "term": {
          Map.Entry<String, Object> f = single(body);
          Map<String, Object> opts = (Map<String, Object>) f.getValue();
          boolean ci = Boolean.TRUE.equals(opts.get("case_insensitive"));
          if (ci) requireKeyword(types, f.getKey(), "case_insensitive term");
          return term(types, f.getKey(), opts.get("value"), ci);
        }
        case "terms": {
          Map.Entry<String, Object> f = single(body);
          String field = f.getKey();
          List<Object> values = (List<Object>) f.getValue();
          String t = typeOf(types, field);
          if (t.equals("keyword")) {
            List<BytesRef> refs = new ArrayList<>();
            for (Object v : values) refs.add(new BytesRef(asText(v)));
            return new TermInSetQuery(field, refs);
          }
          if (t.equals("long")) {
            // NumberFieldMapper's terms query: one point set query (no clause list), values with a decimal part left out
            List<Long> longs = new ArrayList<>();
            for (Object v : values) {
              BigDecimal d = asNumber(v);
              if (d.stripTrailingZeros().scale() <= 0) longs.add(d.longValueExact());
            }
            long[] set = new long[longs.size()];
            for (int i = 0; i < set.length; i++) set[i] = longs.get(i);
            return LongPoint.newSetQuery(field, set);
          }
          if (t.equals("boolean")) {
            List<BytesRef> refs = new ArrayList<>();
            for (Object v : values) refs.add(new BytesRef(asBoolean(v) ? "T" : "F"));
            return new TermInSetQuery(field, refs);
          }
          throw new IllegalArgumentException("terms on a " + t + " field is not used by the compiler");
        }
        case "prefix": {
          Map.Entry<String, Object> f = single(body);
          Map<String, Object> opts = (Map<String, Object>) f.getValue();
          requireKeyword(types, f.getKey(), "prefix");
          String v = asText(opts.get("value"));
          if (Boolean.TRUE.equals(opts.get("case_insensitive"))) return new AutomatonQuery(new Term(f.getKey(), v), CaseInsensitive.prefix(v));
          return new PrefixQuery(new Term(f.getKey(), v));
        }
        case "wildcard": {
          Map.Entry<String, Object> f = single(body);
          Map<String, Object> opts = (Map<String, Object>) f.getValue();
          requireKeyword(types, f.getKey(), "wildcard");
          String v = asText(opts.get("value"));
          if (Boolean.TRUE.equals(opts.get("case_insensitive"))) return new AutomatonQuery(new Term(f.getKey(), v), CaseInsensitive.wildcard(v));
          return new WildcardQuery(new Term(f.getKey(), v));
        }
        case "regexp": {
          Map.Entry<String, Object> f = single(body);
          Map<String, Object> opts = (Map<String, Object>) f.getValue();
          requireKeyword(types, f.getKey(), "regexp");
          if (opts.containsKey("case_insensitive") || opts.containsKey("flags")) throw new IllegalArgumentException("regexp options not used by the compiler");
          return new RegexpQuery(new Term(f.getKey(), asText(opts.get("value"))), RegExp.ALL, MAX_DETERMINIZED_STATES);
        }
        case "range": {
          Map.Entry<String, Object> f = single(body);
          Map<String, Object> opts = (Map<String, Object>) f.getValue();
          Object lower = opts.containsKey("gt") ? opts.get("gt") : opts.get("gte");
          Object upper = opts.containsKey("lt") ? opts.get("lt") : opts.get("lte");
          return range(types, f.getKey(), lower, upper, opts.containsKey("gte"), opts.containsKey("lte"));
        }
        default:
          throw new IllegalArgumentException("unsupported clause " + kind);
      }
    }

    @SuppressWarnings("unchecked")
    static Map.Entry<String, Object> single(Object body) {
      Map<String, Object> m = (Map<String, Object>) body;
      if (m.size() != 1) throw new IllegalArgumentException("expected one field: " + m.keySet());
      return m.entrySet().iterator().next();
    }

    /** Elasticsearch's bool: only-must_not matches all others; minimum_should_match 1 without must/filter. */
    @SuppressWarnings("unchecked")
    static Query bool(Map<String, Object> body, Map<String, String> types) {
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      int positive = 0;
      int should = 0;
      for (Map.Entry<String, Object> e : body.entrySet()) {
        BooleanClause.Occur occur;
        switch (e.getKey()) {
          case "filter": occur = BooleanClause.Occur.FILTER; break;
          case "must": occur = BooleanClause.Occur.MUST; break;
          case "must_not": occur = BooleanClause.Occur.MUST_NOT; break;
          case "should": occur = BooleanClause.Occur.SHOULD; break;
          case "minimum_should_match": continue;
          default: throw new IllegalArgumentException("bool key " + e.getKey());
        }
        for (Object c : (List<Object>) e.getValue()) {
          b.add(build(c, types), occur);
          if (occur == BooleanClause.Occur.SHOULD) should++;
          else if (occur != BooleanClause.Occur.MUST_NOT) positive++;
        }
      }
      Object msm = body.get("minimum_should_match");
      if (msm != null) b.setMinimumNumberShouldMatch(((BigDecimal) msm).intValueExact());
      else if (should > 0 && positive == 0) b.setMinimumNumberShouldMatch(1);
      if (positive == 0 && should == 0) b.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
      return b.build();
    }
  }

  // ---- query_string --------------------------------------------------------------------------

  /**
   * Lucene's classic query parser with what Elasticsearch's QueryStringQueryParser adds on top:
   * `_exists_:field`, field-type-aware term and range queries (numbers, booleans, dates),
   * leading wildcards allowed, and `field:>x` style one-sided ranges for unquoted text. Pure
   * negative groups are NOT fixed up (stricter than Elasticsearch), so the compiler must not
   * rely on it.
   */
  static final class EsQueryParser extends QueryParser {
    private final Map<String, String> types;

    EsQueryParser(Map<String, String> types, Analyzer analyzer) {
      super("_no_default_field_", analyzer);
      this.types = types;
      setAllowLeadingWildcard(true);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
      if ("_exists_".equals(field)) return exists(types, queryText);
      if (!quoted && queryText.length() > 1) {
        char c = queryText.charAt(0);
        if (c == '>' || c == '<') {
          boolean eq = queryText.length() > 2 && queryText.charAt(1) == '=';
          String v = queryText.substring(eq ? 2 : 1);
          return c == '>' ? range(types, field, v, null, eq, true) : range(types, field, null, v, true, eq);
        }
      }
      String t = typeOf(types, field);
      if (t.equals("keyword") || t.equals("text")) {
        Query q = super.getFieldQuery(field, queryText, quoted);
        if (q == null) throw new ParseException("the analyzer produced no term for " + field + ":" + queryText);
        return q;
      }
      return term(types, field, queryText, false);
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive, boolean endInclusive) throws ParseException {
      return range(types, field, part1, part2, startInclusive, endInclusive);
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) throws ParseException {
      if ("*".equals(field) && "*".equals(termStr)) return new MatchAllDocsQuery();
      requireKeyword(types, field, "wildcard");
      return super.getWildcardQuery(field, termStr);
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) throws ParseException {
      requireKeyword(types, field, "prefix");
      return super.getPrefixQuery(field, termStr);
    }

    @Override
    protected Query getRegexpQuery(String field, String termStr) throws ParseException {
      requireKeyword(types, field, "regexp");
      return new RegexpQuery(new Term(field, termStr), RegExp.ALL, MAX_DETERMINIZED_STATES);
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
      throw new ParseException("fuzzy queries are not used by the compiler: " + field + ":" + termStr);
    }
  }
}
