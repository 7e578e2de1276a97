//! One tolerant repair pass for Vendify bodies that are not JSON. Several samples in the
//! Vendify document are JavaScript-style (`sysDate: 2023-04-08T09:09:41.903Z`, unquoted keys,
//! trailing commas, and `response: "productId": 8746, ...` with no braces around the
//! object), and we assume the live API can answer the same way. A body is always read
//! strictly first; only when that fails is this pass applied, once, before parsing again.
//!
//! What the pass changes, and nothing else:
//! - a bare key (`sysErr:`) is quoted;
//! - a bare value that is not a JSON number, `true`, `false` or `null` is quoted as the
//!   text up to the next `,`, `}`, `]` or line end (so `S:SRV...` and `REQUEST OK` survive);
//! - a string followed by `:` where a value belongs opens a brace-less object, closed just
//!   before the enclosing object closes;
//! - a comma right before `}` or `]` is dropped.
//!
//! It never balances brackets or closes strings: a truncated body stays unreadable, so a
//! purchase answer cut off in the middle can never be "repaired" into an answer it did not
//! give. Values are copied or quoted verbatim; none is invented.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `implicit` objects were opened by the repair (brace-less `response:`).
    Object {
        implicit: bool,
    },
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    Key,
    Colon,
    CommaOrClose,
    End,
}

/// The repaired text, or `None` when the body cannot be repaired (truncated, not an object
/// or array, or broken in a way the pass does not handle).
pub fn repair(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 64);
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect = Expect::Value;
    // Where a comma was read, in `out`: written there only when a value follows, so a
    // trailing comma vanishes and a kept one stays where it was.
    let mut pending_comma: Option<usize> = None;
    let mut i = 0;

    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            out.push(char::from(c));
            i += 1;
            continue;
        }
        match expect {
            Expect::End => return None,
            Expect::Colon => {
                if c != b':' {
                    return None;
                }
                out.push(':');
                i += 1;
                expect = Expect::Value;
            }
            Expect::CommaOrClose => match c {
                b',' => {
                    pending_comma = Some(out.len());
                    i += 1;
                    expect = match stack.last() {
                        Some(Frame::Array) => Expect::Value,
                        Some(Frame::Object { .. }) => Expect::Key,
                        None => return None,
                    };
                }
                b'}' => match stack.pop() {
                    // The `}` belongs to the enclosing object: close ours, then read it again.
                    Some(Frame::Object { implicit: true }) => out.push('}'),
                    Some(Frame::Object { implicit: false }) => {
                        out.push('}');
                        i += 1;
                        expect = after_value(&stack);
                    }
                    _ => return None,
                },
                b']' => match stack.pop() {
                    Some(Frame::Array) => {
                        out.push(']');
                        i += 1;
                        expect = after_value(&stack);
                    }
                    _ => return None,
                },
                _ => return None,
            },
            Expect::Key => match c {
                b'}' => {
                    // An empty object, or a trailing comma before the brace.
                    pending_comma = None;
                    match stack.pop() {
                        Some(Frame::Object { implicit: true }) => {
                            out.push('}');
                            expect = Expect::CommaOrClose;
                        }
                        Some(Frame::Object { implicit: false }) => {
                            out.push('}');
                            i += 1;
                            expect = after_value(&stack);
                        }
                        _ => return None,
                    }
                }
                b'"' => {
                    flush_comma(&mut out, &mut pending_comma);
                    let end = string_end(b, i)?;
                    out.push_str(&text[i..end]);
                    i = end;
                    expect = Expect::Colon;
                }
                c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                    flush_comma(&mut out, &mut pending_comma);
                    let start = i;
                    while i < b.len() && is_ident(b[i]) {
                        i += 1;
                    }
                    out.push('"');
                    out.push_str(&text[start..i]);
                    out.push('"');
                    expect = Expect::Colon;
                }
                _ => return None,
            },
            Expect::Value => match c {
                b']' if stack.last() == Some(&Frame::Array) => {
                    // An empty array, or a trailing comma before the bracket.
                    pending_comma = None;
                    stack.pop();
                    out.push(']');
                    i += 1;
                    expect = after_value(&stack);
                }
                b'{' | b'[' => {
                    flush_comma(&mut out, &mut pending_comma);
                    out.push(char::from(c));
                    i += 1;
                    if c == b'{' {
                        stack.push(Frame::Object { implicit: false });
                        expect = Expect::Key;
                    } else {
                        stack.push(Frame::Array);
                        expect = Expect::Value;
                    }
                }
                _ if stack.is_empty() => return None, // only documents are repaired
                b'"' => {
                    flush_comma(&mut out, &mut pending_comma);
                    let end = string_end(b, i)?;
                    let in_object = matches!(stack.last(), Some(Frame::Object { .. }));
                    if in_object && next_non_space(b, end) == Some(b':') {
                        // `response: "productId": 8746, ...`: the object lost its braces.
                        out.push('{');
                        stack.push(Frame::Object { implicit: true });
                        expect = Expect::Colon;
                    } else {
                        expect = after_value(&stack);
                    }
                    out.push_str(&text[i..end]);
                    i = end;
                }
                b'}' | b']' | b',' | b':' => return None,
                _ => {
                    flush_comma(&mut out, &mut pending_comma);
                    let start = i;
                    while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b'\n' | b'\r') {
                        i += 1;
                    }
                    let bare = text[start..i].trim();
                    if is_json_literal(bare) {
                        out.push_str(bare);
                    } else {
                        out.push_str(&serde_json::to_string(bare).ok()?);
                    }
                    expect = after_value(&stack);
                }
            },
        }
    }
    (stack.is_empty() && expect == Expect::End).then_some(out)
}

fn after_value(stack: &[Frame]) -> Expect {
    if stack.is_empty() {
        Expect::End
    } else {
        Expect::CommaOrClose
    }
}

fn flush_comma(out: &mut String, pending: &mut Option<usize>) {
    if let Some(at) = pending.take() {
        out.insert(at, ',');
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'-')
}

/// The index just past the string starting at `start` (a `"`), or `None` when it does not
/// end on its line (JSON strings hold no raw line breaks; a cut-off body ends mid-string).
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut j = start + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            b'\n' | b'\r' => return None,
            _ => j += 1,
        }
    }
    None
}

fn next_non_space(b: &[u8], from: usize) -> Option<u8> {
    b.get(from..)?
        .iter()
        .copied()
        .find(|c| !c.is_ascii_whitespace())
}

fn is_json_literal(s: &str) -> bool {
    matches!(s, "true" | "false" | "null") || is_json_number(s)
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if b.first() == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> serde_json::Value {
        let r = repair(text).unwrap_or_else(|| panic!("repairable: {text}"));
        serde_json::from_str(&r).unwrap_or_else(|e| panic!("{e}: {r}"))
    }

    #[test]
    fn bare_keys_and_values_are_quoted_numbers_and_literals_kept() {
        let v = fixed(
            "{\nauthenticated: true,\nsysDate: 2023-04-08T09:09:41.903Z,\nsysErr: 200,\n\
             sessionUid: S:SRVBPHSDOBJGQREPJDPRGBQFE,\nmessage: REQUEST OK,\nnothing: null\n}",
        );
        assert_eq!(v["authenticated"], true);
        assert_eq!(v["sysDate"], "2023-04-08T09:09:41.903Z");
        assert_eq!(v["sysErr"], 200);
        assert_eq!(v["sessionUid"], "S:SRVBPHSDOBJGQREPJDPRGBQFE");
        assert_eq!(v["message"], "REQUEST OK");
        assert!(v["nothing"].is_null());
    }

    #[test]
    fn large_ids_stay_numbers_with_their_digits() {
        let r = repair("{sysId: 230408090966705261}").expect("repairs");
        assert_eq!(r, "{\"sysId\": 230408090966705261}");
    }

    #[test]
    fn brace_less_response_object_is_wrapped_up_to_the_outer_brace() {
        let v = fixed(
            "{\nsysErr: 200,\nresponse: \"productId\": 8746,\n\"fx\": {\"rate\": 1.0},\n\
             \"codes\": [\n\"KEN\",\n\"NGA\"\n],\n}",
        );
        assert_eq!(v["response"]["productId"], 8746);
        assert_eq!(v["response"]["codes"][1], "NGA");
        assert_eq!(v["sysErr"], 200);
    }

    #[test]
    fn trailing_commas_are_dropped() {
        let v = fixed("{\"a\": [1, 2,], \"b\": {\"c\": 1,},}");
        assert_eq!(v["a"][1], 2);
        assert_eq!(v["b"]["c"], 1);
    }

    #[test]
    fn javascript_request_samples_read_with_spaces_before_colons() {
        let v = fixed("{\nproductId:9418,\nvalue:500.00,\nwalletId:\"NGN-456\",\nuniqueAccountId : \"+234\"\n}");
        assert_eq!(v["productId"], 9418);
        assert_eq!(v["walletId"], "NGN-456");
        assert_eq!(v["uniqueAccountId"], "+234");
        // Numbers keep their text: 500.00 is not rewritten.
        assert!(repair("{value:500.00}").expect("ok").contains("500.00"));
    }

    #[test]
    fn strings_with_structural_characters_are_left_alone() {
        let v = fixed("{ref: \"a:b, c} ]\", x: 1,}");
        assert_eq!(v["ref"], "a:b, c} ]");
        let v = fixed("{msg: He said \"hi\"\n}");
        assert_eq!(v["msg"], "He said \"hi\"");
    }

    #[test]
    fn truncated_bodies_are_never_completed() {
        assert_eq!(
            repair("{\"response\": {\"responseStatus\": \"SUCCESS\""),
            None
        );
        assert_eq!(repair("{\"response\": {\"responseStatus\": \"SUCC"), None);
        assert_eq!(repair("{response: \"responseStatus\": \"SUCCESS\""), None);
        assert_eq!(repair("{sysErr: 200, response: SUCCESS"), None);
        assert_eq!(repair("{\"a\": [1, 2"), None);
        assert_eq!(repair("{"), None);
    }

    #[test]
    fn non_documents_are_not_repaired() {
        assert_eq!(repair(""), None);
        assert_eq!(repair("   "), None);
        assert_eq!(repair("<html><body>502 Bad Gateway</body></html>"), None);
        assert_eq!(repair("SUCCESS"), None);
        assert_eq!(repair("\"SUCCESS\""), None);
        assert_eq!(repair("{} {}"), None);
        assert_eq!(repair("{a b: 1}"), None);
        assert_eq!(repair("{\"a\": }"), None);
        assert_eq!(repair("[1,,2]"), None);
    }

    #[test]
    fn valid_json_passes_through_unchanged() {
        let t = "{\"a\": [1, {\"b\": \"c\"}], \"d\": -0.5e3, \"e\": \"\\\"q\\\"\"}";
        assert_eq!(repair(t).as_deref(), Some(t));
    }

    #[test]
    fn json_number_grammar() {
        for ok in ["0", "-0", "12", "1.5", "2313.3000000000", "1e3", "-2.5E-4"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in [
            "",
            "-",
            "01",
            "1.",
            ".5",
            "1e",
            "2023-04-08",
            "1,000",
            "NaN",
            "+1",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
