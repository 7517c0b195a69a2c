//! Diagnose/dump item sequences: tree building and every malformation.

use accel_netlink::*;

fn value(name: Option<&str>, value: FmsgValue) -> FmsgItem {
    FmsgItem::Value {
        name: name.map(String::from),
        value,
    }
}

fn obj(name: &str) -> FmsgItem {
    FmsgItem::ObjectStart {
        name: Some(name.into()),
    }
}

fn arr(name: Option<&str>) -> FmsgItem {
    FmsgItem::ArrayStart {
        name: name.map(String::from),
    }
}

fn err(items: Vec<FmsgItem>) -> String {
    fmsg_tree(items).unwrap_err().to_string()
}

#[test]
fn nested_arrays_and_objects() {
    // nested: array [ object { name: "a" }, array [ false ], array [ ] ]
    let items = vec![
        arr(Some("nested")),
        FmsgItem::ObjectStart { name: None },
        value(Some("name"), FmsgValue::String("a".into())),
        FmsgItem::End,
        arr(None),
        value(None, FmsgValue::Bool(false)),
        FmsgItem::End,
        arr(None),
        FmsgItem::End,
        FmsgItem::End,
        value(Some("after"), FmsgValue::Uint(1)),
    ];
    let tree = fmsg_tree(items.clone()).expect("tree");
    assert_eq!(
        tree,
        vec![
            FmsgNode::Array {
                name: Some("nested".into()),
                elements: vec![
                    FmsgNode::Object {
                        name: None,
                        members: vec![FmsgNode::Value {
                            name: Some("name".into()),
                            value: FmsgValue::String("a".into())
                        }]
                    },
                    FmsgNode::Array {
                        name: None,
                        elements: vec![FmsgNode::Value {
                            name: None,
                            value: FmsgValue::Bool(false)
                        }]
                    },
                    FmsgNode::Array {
                        name: None,
                        elements: vec![]
                    },
                ]
            },
            FmsgNode::Value {
                name: Some("after".into()),
                value: FmsgValue::Uint(1)
            },
        ]
    );
    assert_eq!(FmsgNode::to_items(&tree), items);
    assert_eq!(fmsg_tree(vec![]).expect("empty"), vec![]);
}

#[test]
fn unbalanced_sequences_are_errors() {
    let e = err(vec![FmsgItem::End]);
    assert!(e.contains("tree item 1: end without an open"), "{e}");
    let e = err(vec![obj("a"), FmsgItem::End, FmsgItem::End]);
    assert!(e.contains("tree item 3: end without an open"), "{e}");
    let e = err(vec![obj("a"), arr(Some("b"))]);
    assert!(
        e.contains("2 object(s)/array(s) open (innermost Some(\"b\"))"),
        "{e}"
    );
}

#[test]
fn nesting_is_bounded() {
    let deep = |n: usize| {
        let mut v: Vec<FmsgItem> = (0..n).map(|i| obj(&i.to_string())).collect();
        v.extend((0..n).map(|_| FmsgItem::End));
        v
    };
    assert!(fmsg_tree(deep(FMSG_MAX_DEPTH)).is_ok());
    let e = err(deep(FMSG_MAX_DEPTH + 1));
    assert!(
        e.contains(&format!("nests deeper than {FMSG_MAX_DEPTH} levels")),
        "{e}"
    );
    // Arrays count as levels too.
    let mut v: Vec<FmsgItem> = (0..=FMSG_MAX_DEPTH).map(|_| arr(None)).collect();
    v.extend((0..=FMSG_MAX_DEPTH).map(|_| FmsgItem::End));
    assert!(fmsg_tree(v).is_err());
}

#[test]
fn malformed_items_are_errors() {
    use TreeItemAttr as A;
    let decode = |attrs: &[TreeItemAttr]| FmsgItem::from_attrs(attrs).unwrap_err().to_string();
    let e = decode(&[A::Name("x".into())]);
    assert!(e.contains("lacks the kind attribute"), "{e}");
    let e = decode(&[A::Kind(4)]);
    assert!(e.contains("unknown kind 4"), "{e}");
    let e = decode(&[A::Kind(ACCEL_TREE_ITEM_KIND_VALUE), A::Name("x".into())]);
    assert!(
        e.contains("value Some(\"x\") lacks a value attribute"),
        "{e}"
    );
    let e = decode(&[
        A::Kind(ACCEL_TREE_ITEM_KIND_VALUE),
        A::ValueUint(1),
        A::ValueSint(2),
    ]);
    assert!(e.contains("carries 2 value attributes"), "{e}");
    let e = decode(&[A::Kind(ACCEL_TREE_ITEM_KIND_END), A::ValueBool(1)]);
    assert!(e.contains("tree end None carries a value attribute"), "{e}");
    let e = decode(&[
        A::Kind(ACCEL_TREE_ITEM_KIND_OBJECT),
        A::Name("o".into()),
        A::ValueString(String::new()),
    ]);
    assert!(
        e.contains("object start Some(\"o\") carries a value"),
        "{e}"
    );
}

#[test]
fn items_decode_leniently_where_harmless() {
    use TreeItemAttr as A;
    // Unknown attributes are skipped; a non-zero bool is true.
    let item = FmsgItem::from_attrs(&[
        A::Unknown(netlink_packet_core::DefaultNla::new(99, vec![1])),
        A::Kind(ACCEL_TREE_ITEM_KIND_VALUE),
        A::ValueBool(2),
    ])
    .expect("item");
    assert_eq!(item, value(None, FmsgValue::Bool(true)));
    // A value inside an array may carry a name: kept as sent.
    let tree = fmsg_tree(vec![
        arr(Some("a")),
        value(Some("odd"), FmsgValue::Uint(1)),
        FmsgItem::End,
    ])
    .expect("tree");
    let FmsgNode::Array { elements, .. } = &tree[0] else {
        panic!("{tree:?}");
    };
    assert_eq!(elements[0].name(), Some("odd"));
}

/// Messages of a dump whose item errors name the item and message.
#[test]
fn assembler_names_the_bad_item() {
    let dev = DevIdent {
        name: "accel0".into(),
        ..Default::default()
    };
    let reporter = HealthReporter {
        name: "r".into(),
        ..Default::default()
    };
    let mut attrs = HealthFmsg {
        dev,
        reporter,
        tree: vec![],
    }
    .to_messages_attrs(1)
    .remove(0);
    attrs.push(HealthReporterAttr::TreeItem(FmsgItem::End.to_attrs()));
    attrs.push(HealthReporterAttr::TreeItem(vec![TreeItemAttr::Kind(9)]));
    let msg = AccelMessage {
        cmd: AccelCmd::HealthReporterDumpGet,
        attrs: Attrs::HealthReporter(attrs.clone()),
    };
    let e = HealthFmsg::from_messages([&msg]).unwrap_err().to_string();
    assert!(e.contains("tree item 1: end without"), "{e}");
    attrs.remove(attrs.len() - 2);
    let msg = AccelMessage {
        cmd: AccelCmd::HealthReporterDumpGet,
        attrs: Attrs::HealthReporter(attrs),
    };
    let e = HealthFmsg::from_messages([&msg]).unwrap_err().to_string();
    assert!(
        e.contains("tree item 1 (message 1): tree item of unknown kind 9"),
        "{e}"
    );
    let e = HealthFmsg::from_messages([]).unwrap_err().to_string();
    assert!(e.contains("no fmsg message received"), "{e}");
}

/// Continuation messages naming another reporter, or carrying no reporter
/// at all, are errors; an empty tree in one message is fine.
#[test]
fn assembler_checks_the_reporter() {
    let fmsg = HealthFmsg {
        dev: DevIdent {
            name: "accel0".into(),
            ..Default::default()
        },
        reporter: HealthReporter {
            name: "r".into(),
            ..Default::default()
        },
        tree: vec![],
    };
    let first = fmsg.to_messages_attrs(1).remove(0);
    let msg = |attrs: Vec<HealthReporterAttr>| AccelMessage {
        cmd: AccelCmd::HealthReporterDiagnose,
        attrs: Attrs::HealthReporter(attrs),
    };
    // The handle, then the reporter's name first.
    assert!(
        matches!(&first[0], HealthReporterAttr::Handle(_)),
        "{first:?}"
    );
    assert_eq!(first[1], HealthReporterAttr::Name("r".into()));
    assert_eq!(
        HealthFmsg::from_messages([&msg(first.clone())]).expect("empty"),
        fmsg
    );
    let other = vec![first[0].clone(), HealthReporterAttr::Name("s".into())];
    let e = HealthFmsg::from_messages([&msg(first.clone()), &msg(other)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("about reporter \"s\", not \"r\""), "{e}");
    let e = HealthFmsg::from_messages([&msg(first[..1].to_vec())])
        .unwrap_err()
        .to_string();
    assert!(e.contains("message 1 lacks the reporter name"), "{e}");
    let name_only = vec![first[0].clone(), HealthReporterAttr::Name("r".into())];
    // The state must come in the first message: a name-only first message
    // fails, even if a later one carries the whole nest.
    let e = HealthFmsg::from_messages([&msg(name_only.clone())])
        .unwrap_err()
        .to_string();
    assert!(e.contains("first message carries no reporter state"), "{e}");
    let e = HealthFmsg::from_messages([&msg(name_only.clone()), &msg(first.clone())])
        .unwrap_err()
        .to_string();
    assert!(e.contains("first message carries no reporter state"), "{e}");
}

/// As the kernel sends it: all reporter attributes first, then messages carrying
/// the reporter by name only; the reporter is the first message's.
#[test]
fn later_messages_carry_the_reporter_by_name_only() {
    let fmsg = HealthFmsg {
        dev: DevIdent {
            name: "accel0".into(),
            ..Default::default()
        },
        reporter: HealthReporter {
            name: "r".into(),
            state: HealthState::Error,
            error_count: 4,
            recover_count: 3,
            last_error_msg: Some("boom".into()),
            ..Default::default()
        },
        tree: vec![
            FmsgNode::Value {
                name: Some("a".into()),
                value: FmsgValue::Uint(1),
            },
            FmsgNode::Value {
                name: Some("b".into()),
                value: FmsgValue::String("entry 0".into()),
            },
            FmsgNode::Value {
                name: Some("c".into()),
                value: FmsgValue::Bool(false),
            },
        ],
    };
    let msgs: Vec<AccelMessage> = fmsg
        .to_messages_attrs(1)
        .into_iter()
        .map(|attrs| AccelMessage {
            cmd: AccelCmd::HealthReporterDumpGet,
            attrs: Attrs::HealthReporter(attrs),
        })
        .collect();
    assert_eq!(msgs.len(), 3);
    for m in &msgs[1..] {
        let Attrs::HealthReporter(attrs) = &m.attrs else {
            panic!("{m:?}");
        };
        // Handle, name, one tree item: no other reporter attribute.
        assert_eq!(attrs.len(), 3, "{m:?}");
        assert_eq!(attrs[1], HealthReporterAttr::Name("r".into()));
    }
    assert_eq!(HealthFmsg::from_messages(&msgs).expect("assemble"), fmsg);
}
