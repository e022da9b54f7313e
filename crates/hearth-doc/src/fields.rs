//! Typed reads and writes of Automerge map fields.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};
use chrono::NaiveDate;

use crate::DocError;

/// A map object being read.
pub(crate) struct Obj<'a> {
    pub doc: &'a AutoCommit,
    pub id: ObjId,
    /// Where it is, for error messages.
    pub path: String,
}

impl<'a> Obj<'a> {
    pub fn root(doc: &'a AutoCommit) -> Self {
        Obj {
            doc,
            id: automerge::ROOT,
            path: String::new(),
        }
    }

    fn bad(&self, key: &str, want: &str) -> DocError {
        DocError::Malformed(format!("{}/{key}: expected {want}", self.path))
    }

    fn scalar(&self, key: &str) -> Result<Option<ScalarValue>, DocError> {
        match self.doc.get(&self.id, key)? {
            None => Ok(None),
            Some((Value::Scalar(s), _)) => Ok(Some(s.into_owned())),
            Some((Value::Object(_), _)) => Err(self.bad(key, "a value, found an object")),
        }
    }

    /// A nested map.
    pub fn map(&self, key: &str) -> Result<Obj<'a>, DocError> {
        match self.doc.get(&self.id, key)? {
            Some((Value::Object(ObjType::Map), id)) => Ok(Obj {
                doc: self.doc,
                id,
                path: format!("{}/{key}", self.path),
            }),
            _ => Err(self.bad(key, "a map")),
        }
    }

    /// The keys of this map, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.doc.keys(&self.id).collect()
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<String>, DocError> {
        match self.scalar(key)? {
            None | Some(ScalarValue::Null) => Ok(None),
            Some(ScalarValue::Str(s)) => Ok(Some(s.to_string())),
            Some(_) => Err(self.bad(key, "text")),
        }
    }

    pub fn str(&self, key: &str) -> Result<String, DocError> {
        self.opt_str(key)?.ok_or_else(|| self.bad(key, "text"))
    }

    pub fn opt_i64(&self, key: &str) -> Result<Option<i64>, DocError> {
        match self.scalar(key)? {
            None | Some(ScalarValue::Null) => Ok(None),
            Some(ScalarValue::Int(i)) => Ok(Some(i)),
            Some(ScalarValue::Uint(u)) => i64::try_from(u)
                .map(Some)
                .map_err(|_| self.bad(key, "a number in range")),
            Some(_) => Err(self.bad(key, "a number")),
        }
    }

    pub fn i64(&self, key: &str) -> Result<i64, DocError> {
        self.opt_i64(key)?.ok_or_else(|| self.bad(key, "a number"))
    }

    pub fn bool(&self, key: &str) -> Result<bool, DocError> {
        match self.scalar(key)? {
            None => Ok(false),
            Some(ScalarValue::Boolean(b)) => Ok(b),
            Some(_) => Err(self.bad(key, "true or false")),
        }
    }

    pub fn date(&self, key: &str) -> Result<NaiveDate, DocError> {
        let s = self.str(key)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| self.bad(key, "a YYYY-MM-DD date"))
    }
}

/// A value to write into a map field.
pub(crate) enum Field<'v> {
    Str(&'v str),
    OptStr(Option<&'v str>),
    Int(i64),
    OptInt(Option<i64>),
    Bool(bool),
}

impl Field<'_> {
    fn scalar(&self) -> ScalarValue {
        match self {
            Field::Str(s) => ScalarValue::Str((*s).into()),
            Field::OptStr(Some(s)) => ScalarValue::Str((*s).into()),
            Field::Int(i) | Field::OptInt(Some(i)) => ScalarValue::Int(*i),
            Field::Bool(b) => ScalarValue::Boolean(*b),
            Field::OptStr(None) | Field::OptInt(None) => ScalarValue::Null,
        }
    }
}

/// Writes a fresh map at `parent[key]` holding `fields`.
pub(crate) fn put_new_map(
    doc: &mut AutoCommit,
    parent: &ObjId,
    key: &str,
    fields: &[(&str, Field<'_>)],
) -> Result<ObjId, DocError> {
    let obj = doc.put_object(parent, key, ObjType::Map)?;
    for (k, v) in fields {
        // Absent optional values are not written at all.
        if matches!(v, Field::OptStr(None) | Field::OptInt(None)) {
            continue;
        }
        doc.put(&obj, *k, v.scalar())?;
    }
    Ok(obj)
}

/// Writes only the fields that differ from what the map holds, so concurrent
/// edits of different fields of one object both survive.
pub(crate) fn update_fields(
    doc: &mut AutoCommit,
    obj: &ObjId,
    fields: &[(&str, Field<'_>)],
) -> Result<(), DocError> {
    for (k, v) in fields {
        let want = v.scalar();
        let have = match doc.get(obj, *k)? {
            Some((Value::Scalar(s), _)) => Some(s.into_owned()),
            _ => None,
        };
        let same = match (&have, &want) {
            (None, ScalarValue::Null) => true,
            (Some(h), w) => h == w,
            _ => false,
        };
        if !same {
            doc.put(obj, *k, want)?;
        }
    }
    Ok(())
}
