//! Places in a JSON tree: listing them, reaching one, removing one. Mutation and shrinking
//! both work on places.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Every place in `v` as a path from the root (the root itself first), parents before children.
pub fn places(v: &Value) -> Vec<Vec<Seg>> {
    fn walk(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        out.push(path.clone());
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    path.push(Seg::Key(k.clone()));
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

/// The value at `path`, which must be a place of `v`.
pub fn at<'v>(v: &'v mut Value, path: &[Seg]) -> &'v mut Value {
    path.iter().fold(v, |v, seg| match seg {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::Index(i) => &mut v[*i],
    })
}

/// Removes the member or element at `path`; false for the root (nothing to remove it from).
pub fn remove(v: &mut Value, path: &[Seg]) -> bool {
    match path.split_last() {
        Some((Seg::Key(k), parent)) => {
            if let Value::Object(m) = at(v, parent) {
                m.remove(k);
            }
            true
        }
        Some((Seg::Index(i), parent)) => {
            if let Value::Array(items) = at(v, parent) {
                items.remove(*i);
            }
            true
        }
        None => false,
    }
}
