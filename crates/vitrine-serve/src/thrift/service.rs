//! The `displaymanager` service on the wire: a Thrift call read into the same typed command the JSON server makes, and its answer written back (through the `thrift` crate's protocols).

use thrift::protocol::{
    TFieldIdentifier, TInputProtocol, TMessageIdentifier, TMessageType, TOutputProtocol,
    TStructIdentifier, TType,
};
use thrift::{ApplicationError, ApplicationErrorKind};

use vitrine_api::gestures::{Fill, GestureChange};
use vitrine_api::{Load, PlaceSpec, PushResult};
use vitrine_config::MAX_VIEWPORT_SIDE;

/// One of the service's four methods, with its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// `fetchUrl` or `postHtml`, as the JSON server would make it; or why
    /// its arguments are no request (answered `INVALID_ARGUMENT`).
    Load(Result<Load, String>),
    WhatsLoaded,
    CurrentUrl,
}

/// A call read off the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    pub name: String,
    pub seq: i32,
    /// The method, or `None` for one the service does not have.
    pub method: Option<Method>,
    /// A one-way call: carried out, never answered.
    pub oneway: bool,
}

/// What a method answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// `fetchUrl` and `postHtml`: the `pushResult` enum.
    Push(PushResult),
    /// `whatsLoaded` and `currentUrl`.
    Text(String),
}

fn protocol_error(message: impl Into<String>) -> thrift::Error {
    thrift::Error::Protocol(thrift::ProtocolError::new(
        thrift::ProtocolErrorKind::InvalidData,
        message.into(),
    ))
}

/// Reads one call. An unknown method's arguments are read past, so the
/// connection stays in step; a message that is no call is an error.
pub fn read_call(i: &mut dyn TInputProtocol) -> thrift::Result<Incoming> {
    let m = i.read_message_begin()?;
    if !matches!(m.message_type, TMessageType::Call | TMessageType::OneWay) {
        return Err(protocol_error(format!(
            "a {:?} message where a call was expected",
            m.message_type
        )));
    }
    let method = match m.name.as_str() {
        "fetchUrl" => Some(Method::Load(read_arg(i, read_push_url)?)),
        "postHtml" => Some(Method::Load(read_arg(i, read_push_html)?)),
        "whatsLoaded" => read_struct(i, |_, _, _| Ok(false)).map(|()| Some(Method::WhatsLoaded))?,
        "currentUrl" => read_struct(i, |_, _, _| Ok(false)).map(|()| Some(Method::CurrentUrl))?,
        _ => {
            i.skip(TType::Struct)?;
            None
        }
    };
    i.read_message_end()?;
    Ok(Incoming {
        name: m.name,
        seq: m.sequence_number,
        method,
        oneway: m.message_type == TMessageType::OneWay,
    })
}

/// Reads an argument struct whose field 1 (the IDL's one argument, a
/// struct) is read by `one`; other fields are skipped, and a call without
/// it is no request.
fn read_arg(
    i: &mut dyn TInputProtocol,
    one: impl FnOnce(&mut dyn TInputProtocol) -> thrift::Result<Result<Load, String>>,
) -> thrift::Result<Result<Load, String>> {
    let mut value = None;
    let mut one = Some(one);
    read_struct(i, |i, id, ty| {
        if id == 1
            && ty == TType::Struct
            && let Some(f) = one.take()
        {
            value = Some(f(i)?);
            return Ok(true);
        }
        Ok(false)
    })?;
    Ok(value.unwrap_or_else(|| Err("the call has no argument 1".into())))
}

/// Reads a struct field by field: `field` reads the fields it knows and
/// says so; the rest are skipped.
fn read_struct(
    i: &mut dyn TInputProtocol,
    mut field: impl FnMut(&mut dyn TInputProtocol, i16, TType) -> thrift::Result<bool>,
) -> thrift::Result<()> {
    i.read_struct_begin()?;
    loop {
        let f = i.read_field_begin()?;
        if f.field_type == TType::Stop {
            break;
        }
        let known = match f.id {
            Some(id) => field(i, id, f.field_type)?,
            None => false,
        };
        if !known {
            i.skip(f.field_type)?;
        }
        i.read_field_end()?;
    }
    i.read_struct_end()
}

/// Fields of a request struct, as read.
#[derive(Default)]
struct Fields {
    name: Option<String>,
    text: Option<String>,
    opt_text: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    placement: Option<Result<PlaceSpec, String>>,
}

fn read_fields(i: &mut dyn TInputProtocol, html: bool) -> thrift::Result<Fields> {
    let mut f = Fields::default();
    read_struct(i, |i, id, ty| {
        match (id, ty) {
            (1, TType::String) => f.name = Some(i.read_string()?),
            (2, TType::String) => f.text = Some(i.read_string()?),
            (3, TType::String) => f.opt_text = Some(i.read_string()?),
            (4, TType::I32) if html => f.width = Some(i.read_i32()?),
            (5, TType::I32) if html => f.height = Some(i.read_i32()?),
            (4, TType::Struct) if !html => f.placement = Some(read_placement(i)?),
            (6, TType::Struct) if html => f.placement = Some(read_placement(i)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(f)
}

/// `pushUrl` as a `fetchUrl` load.
fn read_push_url(i: &mut dyn TInputProtocol) -> thrift::Result<Result<Load, String>> {
    let f = read_fields(i, false)?;
    Ok((|| {
        Ok(Load::FetchUrl {
            name: f.name.ok_or("pushUrl.name is required")?,
            url: f.text.ok_or("pushUrl.url is required")?,
            poster: f.opt_text,
            placement: f.placement.transpose()?.unwrap_or_default(),
        })
    })())
}

/// `pushHtml` as a `postHtml` load.
fn read_push_html(i: &mut dyn TInputProtocol) -> thrift::Result<Result<Load, String>> {
    let f = read_fields(i, true)?;
    let side = |v: Option<i32>, key: &str| -> Result<Option<u32>, String> {
        match v {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .ok()
                .filter(|n| (1..=MAX_VIEWPORT_SIDE).contains(n))
                .map(Some)
                .ok_or_else(|| format!("pushHtml.{key} must be from 1 to {MAX_VIEWPORT_SIDE}")),
        }
    };
    Ok((|| {
        Ok(Load::PostHtml {
            name: f.name.ok_or("pushHtml.name is required")?,
            data: f.text.ok_or("pushHtml.data is required")?,
            base_url: f.opt_text,
            width: side(f.width, "width")?,
            height: side(f.height, "height")?,
            placement: f.placement.transpose()?.unwrap_or_default(),
        })
    })())
}

/// The `placement` struct: what it leaves out keeps its default.
fn read_placement(i: &mut dyn TInputProtocol) -> thrift::Result<Result<PlaceSpec, String>> {
    let mut p = PlaceSpec::default();
    let mut fill = None;
    read_struct(i, |i, id, ty| {
        match (id, ty) {
            (1..=5, TType::Double) => {
                let v = i.read_double()?;
                let slot = match id {
                    1 => &mut p.x,
                    2 => &mut p.y,
                    3 => &mut p.scale,
                    4 => &mut p.rotation,
                    _ => &mut p.width,
                };
                *slot = Some(v);
            }
            (6, TType::Struct) => p.gestures = read_gestures(i, p.gestures)?,
            (7, TType::Bool) => p.gestures.pinned = Some(i.read_bool()?),
            (8, TType::String) => fill = Some(i.read_string()?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let finite =
        |v: Option<f64>, positive: bool| v.is_none_or(|v| v.is_finite() && (!positive || v > 0.0));
    if !(finite(p.x, false) && finite(p.y, false) && finite(p.rotation, false)) {
        return Ok(Err(
            "placement: x, y and rotation must be finite numbers".into()
        ));
    }
    if !(finite(p.scale, true) && finite(p.width, true)) {
        return Ok(Err(
            "placement: scale and width must be positive numbers".into()
        ));
    }
    p.gestures.fill = match fill.as_deref() {
        None => None,
        Some("screen") => Some(Fill::Screen),
        Some("none") => Some(Fill::None),
        Some(_) => return Ok(Err("placement.fill must be \"screen\" or \"none\"".into())),
    };
    Ok(Ok(p))
}

fn read_gestures(
    i: &mut dyn TInputProtocol,
    mut g: GestureChange,
) -> thrift::Result<GestureChange> {
    read_struct(i, |i, id, ty| {
        let slot = match (id, ty) {
            (1, TType::Bool) => &mut g.translate,
            (2, TType::Bool) => &mut g.rotate,
            (3, TType::Bool) => &mut g.scale,
            _ => return Ok(false),
        };
        *slot = Some(i.read_bool()?);
        Ok(true)
    })?;
    Ok(g)
}

/// Writes the reply to `call`: its result struct with the answer in field 0
/// (`success`), as generated code reads it.
pub fn write_answer(
    o: &mut dyn TOutputProtocol,
    call: &Incoming,
    answer: &Answer,
) -> thrift::Result<()> {
    o.write_message_begin(&TMessageIdentifier::new(
        call.name.as_str(),
        TMessageType::Reply,
        call.seq,
    ))?;
    o.write_struct_begin(&TStructIdentifier::new(format!("{}_result", call.name)))?;
    match answer {
        Answer::Push(p) => {
            o.write_field_begin(&TFieldIdentifier::new("success", TType::I32, 0))?;
            o.write_i32(*p as i32)?;
        }
        Answer::Text(s) => {
            o.write_field_begin(&TFieldIdentifier::new("success", TType::String, 0))?;
            o.write_string(s)?;
        }
    }
    o.write_field_end()?;
    o.write_field_stop()?;
    o.write_struct_end()?;
    o.write_message_end()?;
    o.flush()
}

/// Writes a `TApplicationException` in answer to the message `name`/`seq`.
pub fn write_exception(
    o: &mut dyn TOutputProtocol,
    name: &str,
    seq: i32,
    kind: ApplicationErrorKind,
    message: &str,
) -> thrift::Result<()> {
    o.write_message_begin(&TMessageIdentifier::new(name, TMessageType::Exception, seq))?;
    thrift::Error::write_application_error_to_out_protocol(
        &ApplicationError::new(kind, message),
        o,
    )?;
    o.write_message_end()?;
    o.flush()
}
