"""A job file's `image` is a file beside the job file (hashed into the job's key), or digit:N
(no file); `kernel` is a name; bad ones stop the batch before anything runs."""

import numpy as np
import pytest
from PIL import Image

from convprop.farm.jobfile import JobFileError, job_key, read_jobs


def _jobs(tmp_path, body):
    (tmp_path / "jobs.toml").write_text(body)
    return read_jobs(tmp_path / "jobs.toml")


def test_an_image_file_is_found_beside_the_job_file_and_keys_the_job(tmp_path):
    Image.fromarray(np.eye(8, dtype=np.uint8) * 255).save(tmp_path / "diagonal.png")
    job, digit = _jobs(tmp_path, "[[job]]\ncommand = 'render'\nscene = 'forward-pass'\nimage = 'diagonal.png'\n"
                                 "kernel = 'edge'\n[[job]]\ncommand = 'lecture'\nimage = 'digit:4'\n")
    assert job.args[job.args.index("--image") + 1] == str(tmp_path / "diagonal.png")
    assert job.args[job.args.index("--kernel") + 1] == "edge"
    assert job.files == (str(tmp_path / "diagonal.png"),)
    assert digit.args[digit.args.index("--image") + 1] == "digit:4" and digit.files == ()
    before = job_key(job)
    Image.fromarray(np.eye(8, dtype=np.uint8)[::-1] * 255).save(tmp_path / "diagonal.png")
    assert job_key(job) != before


@pytest.mark.parametrize("line, says", [
    ("image = 'digit:12'", "digit:0 to digit:9"), ("image = 'missing.png'", "does not exist"),
    ("kernel = 'emboss'", "emboss"), ("kernel = 'sobel-y'\nkernel-size = '5'\ninput-size = '7'", "5x5"),
])
def test_a_bad_image_or_kernel_names_the_table(tmp_path, line, says):
    with pytest.raises(JobFileError, match=says) as err:
        _jobs(tmp_path, f"[[job]]\ncommand = 'render'\nscene = 'forward-pass'\n{line}\n")
    assert "job table 1" in str(err.value)
