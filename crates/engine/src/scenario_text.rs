//! The common case of a scenario's JSON text, read in one pass without building a JSON value:
//! `yibao batch` reads hundreds of thousands of lines, and building and dropping a value per
//! line tripled the cost of reading one.
//!
//! It accepts only a plain subset (strings without escapes, amounts written as strings, each
//! field at most once) and gives up — returns `None` — on anything else, good or bad. Then
//! `scenario::parse` reads the text the general way, which accepts everything the format allows
//! and names what is wrong. Where this pass gives a scenario, it is the one the general way
//! gives (a test compares the two on random and mutated texts).

use crate::dec::Dec;
use crate::ids::{Identity, Place, Scheme, VisitKind};
use crate::scenario::{Scenario, Visit, MAX_VISITS};

pub(crate) fn scenario(text: &str) -> Option<Scenario> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Plain { s: text.as_bytes(), text, i: 0 };
    p.ws();
    let s = p.scenario()?;
    p.ws();
    (p.i == p.s.len()).then_some(s)
}

struct Plain<'t> {
    s: &'t [u8],
    text: &'t str,
    i: usize,
}

impl<'t> Plain<'t> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    /// `c` after optional white space.
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.s.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// Whether the next thing is `c` (consumed if so).
    fn peek_eat(&mut self, c: u8) -> bool {
        self.ws();
        let yes = self.s.get(self.i) == Some(&c);
        if yes {
            self.i += 1;
        }
        yes
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'t str> {
        self.eat(b'"')?;
        let start = self.i;
        let len = self.s[start..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if self.s[start + len] != b'"' {
            return None;
        }
        self.i = start + len + 1;
        self.text.get(start..start + len)
    }

    fn boolean(&mut self) -> Option<bool> {
        self.ws();
        for (word, v) in [("true", true), ("false", false)] {
            if self.s[self.i..].starts_with(word.as_bytes()) {
                self.i += word.len();
                return Some(v);
            }
        }
        None
    }

    /// The members of an object, each key once and known to `on`.
    fn object(&mut self, mut on: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek_eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            on(self, key)?;
            if !self.peek_eat(b',') {
                return self.eat(b'}');
            }
        }
    }

    /// The items of an array.
    fn array(&mut self, mut on: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek_eat(b']') {
            return Some(());
        }
        loop {
            on(self)?;
            if !self.peek_eat(b',') {
                return self.eat(b']');
            }
        }
    }

    fn scenario(&mut self) -> Option<Scenario> {
        let (mut scheme, mut tier, mut identities, mut visits) = (None, None, None, None);
        self.object(|p, key| {
            match key {
                "scheme" if scheme.is_none() => scheme = Some(Scheme::from_id(p.string()?)?),
                "contribution_tier" if tier.is_none() => tier = Some(p.string()?.to_string()),
                "identities" if identities.is_none() => {
                    let mut ids = Vec::new();
                    p.array(|p| {
                        ids.push(Identity::from_id(p.string()?)?);
                        Some(())
                    })?;
                    identities = Some(ids);
                }
                "visits" if visits.is_none() => {
                    let mut list = Vec::new();
                    p.array(|p| {
                        // Past the limit the general reader names the problem.
                        (list.len() < MAX_VISITS).then_some(())?;
                        list.push(p.visit()?);
                        Some(())
                    })?;
                    visits = Some(list);
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(Scenario { scheme: scheme.unwrap_or(Scheme::Resident), contribution_tier: tier, identities: identities.unwrap_or_default(), population: None, visits: visits? })
    }

    fn visit(&mut self) -> Option<Visit> {
        let (mut kind, mut level, mut total, mut in_scope, mut referred) = (None, None, None, None, None);
        self.object(|p, key| {
            match key {
                "kind" if kind.is_none() => kind = Some(VisitKind::from_id(p.string()?)?),
                "level" if level.is_none() => level = Some(p.string()?.to_string()),
                "total" if total.is_none() => total = Some(p.amount()?),
                "in_scope" if in_scope.is_none() => in_scope = Some(p.amount()?),
                "referred" if referred.is_none() => referred = Some(p.boolean()?),
                _ => return None,
            }
            Some(())
        })?;
        Some(Visit {
            kind: kind?,
            level: level?,
            total: total?,
            in_scope: in_scope?,
            partial_self_pay: None,
            basic_paid: None,
            critical_illness_paid: None,
            referred: referred.unwrap_or(false),
            place: Place::Local,
        })
    }

    /// An amount written as a string of plain digits (no percentage).
    fn amount(&mut self) -> Option<Dec> {
        let s = self.string()?;
        if s.trim_end().ends_with('%') {
            return None;
        }
        Dec::parse(s).ok()
    }
}
