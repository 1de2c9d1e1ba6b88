//! A TUIO 1.1 sender for tests: one source whose bundles carry `source`, `alive`, `set` and `fseq`, sent over real UDP at a tracker's pace.

use std::net::UdpSocket;
use std::time::Duration;

use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};

/// A TUIO sender: one source, its bundles numbered.
pub struct Sender {
    socket: UdpSocket,
    port: u16,
    source: String,
    pub fseq: i32,
}

pub fn msg(args: Vec<OscType>) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: "/tuio/2Dcur".into(),
        args,
    })
}

pub fn s(v: &str) -> OscType {
    OscType::String(v.into())
}

impl Sender {
    pub fn new(port: u16, source: &str) -> Sender {
        Sender::from_ip(port, source, "127.0.0.1")
    }

    /// A sender whose datagrams leave from `ip` (a loopback address such as
    /// 127.0.0.2, to play a second host).
    pub fn from_ip(port: u16, source: &str, ip: &str) -> Sender {
        Sender {
            socket: UdpSocket::bind((ip, 0)).unwrap(),
            port,
            source: source.into(),
            fseq: 0,
        }
    }

    /// One frame: the cursors down (id, x, y), with the frame number
    /// `fseq` (the next one when `None`).
    pub fn frame(&mut self, cursors: &[(i32, f32, f32)], fseq: Option<i32>) {
        let bytes = self.bundle(cursors, fseq);
        self.raw(&bytes);
        // A tracker's pace; also keeps each bundle its own pass.
        std::thread::sleep(Duration::from_millis(15));
    }

    /// One frame's bundle, encoded, without sending it.
    pub fn bundle(&mut self, cursors: &[(i32, f32, f32)], fseq: Option<i32>) -> Vec<u8> {
        let fseq = fseq.unwrap_or_else(|| {
            self.fseq += 1;
            self.fseq
        });
        let mut content = vec![msg(vec![s("source"), s(&self.source)])];
        let mut alive = vec![s("alive")];
        alive.extend(cursors.iter().map(|c| OscType::Int(c.0)));
        content.push(msg(alive));
        for &(id, x, y) in cursors {
            content.push(msg(vec![
                s("set"),
                OscType::Int(id),
                OscType::Float(x),
                OscType::Float(y),
                OscType::Float(0.0),
                OscType::Float(0.0),
                OscType::Float(0.0),
            ]));
        }
        content.push(msg(vec![s("fseq"), OscType::Int(fseq)]));
        let bundle = OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content,
        });
        rosc::encoder::encode(&bundle).unwrap()
    }

    pub fn raw(&self, bytes: &[u8]) {
        self.socket
            .send_to(bytes, ("127.0.0.1", self.port))
            .unwrap();
    }
}
