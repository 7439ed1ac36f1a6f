import io
import json
import subprocess
import sys
import zipfile

import pytest

from healthqa.cli import main


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHQA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def data_dir(medquad_root):
    return str(medquad_root.parent)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "empty"),
        (["ask", "x" * 10_001], "limit"),
        (["ask", "why?", "--data", "/no/such/folder"], "not found"),
        (["ask", "why?", "--max-words", "5"], "max_words"),
        (["ask", "¿por qué?", "--lang", "fr"], "lang"),
        (["eval", "answers", "--qtype", "regex"], "qtype must be one of cues, learned"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(args, message, home, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert not home.exists()


def test_ask_builds_index_on_first_use_and_prints_cited_answer(home, data_dir, capsys):
    assert main(["ask", "what causes night knots?", "--data", data_dir, "--no-dense"]) == 0
    out = capsys.readouterr().out
    assert "Causes" in out and "[1]" in out and "Leg Knots" in out and "not a diagnosis" in out
    assert (home / "index" / "main" / "manifest.json").is_file()


def test_ask_json(home, data_dir, capsys):
    assert (
        main(["ask", "how is sniffle fever treated", "--json", "--data", data_dir, "--no-dense"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] is False and data["citations"][0]["id"].startswith("GARD_0000002")


def test_batch_keeps_ids_and_reports_bad_lines(home, data_dir, tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": "a", "question": "what is sniffle fever"}\n{"id": "b", "question": " "}\n'
    )
    assert main(["ask", "--batch", str(batch), "--json", "--data", data_dir, "--no-dense"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert lines[0]["sections"] and "empty" in lines[1]["error"]


def test_a_stray_control_character_is_removed_and_the_question_answered(home, data_dir, capsys):
    question = "what causes night\u009d knots?\u200b"
    assert main(["ask", question, "--json", "--data", data_dir, "--no-dense"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["question"] == "what causes night knots?"
    assert not data["abstained"] and "Leg Knots" in data["text"]


@pytest.mark.parametrize(
    ("question", "message"),
    [("\x01\x02\x9d\x03 why\x04\x05", "binary"), ("why \udcff\udcfe", "UTF-8")],
)
def test_binary_question_is_refused_with_one_line(question, message, home, capsys):
    assert main(["ask", question, "--no-dense"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert not home.exists()


def test_batch_file_that_is_binary_is_refused(home, tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_bytes(b"\xff\xfe\x00binary")
    assert main(["ask", "--batch", str(batch)]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_data_download_from_an_archive(tmp_path, capsys):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("MedQuAD-master/9_CDC_QA/0000001.xml", "<Document id='1'/>")
        z.writestr("MedQuAD-master/readme.txt", "hi")
    path = tmp_path / "medquad.zip"
    path.write_bytes(archive.getvalue())
    assert main(["data", "download", "--dest", str(tmp_path / "d"), "--url", path.as_uri()]) == 0
    assert (tmp_path / "d" / "medquad" / "9_CDC_QA" / "0000001.xml").is_file()
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("nope")
    assert main(["data", "download", "--dest", str(tmp_path / "e"), "--url", not_zip.as_uri()]) == 2
    assert not (tmp_path / "e" / "medquad").exists()


def test_python_dash_m_runs():
    result = subprocess.run(
        [sys.executable, "-m", "healthqa", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "ask" in result.stdout


def test_ask_in_spanish_prints_a_spanish_answer(home, data_dir, capsys):
    assert main(["ask", "¿Qué es la culebrilla?", "--data", data_dir, "--no-dense"]) == 0
    out = capsys.readouterr().out
    assert "No encontré una respuesta confiable" in out and "no un diagnóstico" in out


@pytest.mark.parametrize(
    "args",
    [
        ["collections", "list"],
        ["ask", "--bogus", "why?"],
        ["ask", "why?", "--max-words", "many"],
        ["index", "--data"],
        ["data", "nope"],
        ["serve", "--port", "0"],
        ["serve", "--workers", "x"],
    ],
)
def test_mistyped_command_or_option_prints_usage_and_exits_2(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Usage:" in err or "Error:" in err
    assert "Traceback" not in err


def test_mistyped_command_from_the_shell_exits_2_without_traceback():
    done = subprocess.run(
        [sys.executable, "-m", "healthqa", "colection", "list"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "No such command" in done.stderr
    assert "Traceback" not in done.stderr and "Usage:" in done.stderr
