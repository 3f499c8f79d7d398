"""Seed 004's serving design (FastAPI + PyTorch on CPU), rebuilt small, as a benchmark reference only.

Not a product dependency: bench/predict/reference.ts starts it to measure the design on this machine.
  python3 bench/predict/reference/seed004_server.py [--port 8081] [--ensemble 1] [--arch cnn|resnet18] [--mkldnn]
Follows ADR-005: torch.set_num_threads(1), one uvicorn worker, and a bounded ThreadPoolExecutor
(APP__THREADS, 0 = min(8, CPU count)) that runs decode + preprocessing + the forward passes, so the
event loop only parses requests and writes answers.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.mkldnn
import uvicorn
from fastapi import FastAPI, File, Form, UploadFile
from fastapi.responses import JSONResponse
from PIL import Image, ImageOps
from pydantic import BaseModel

MAX_BYTES = 2 * 1024 * 1024  # DIGITS__MAX_IMAGE_MB=2
MAX_SIDE = 1024  # DIGITS__MAX_IMAGE_SIDE_PX
UNCERTAIN_BELOW = 0.70  # DIGITS__UNCERTAIN_THRESHOLD
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class ReadResponse(BaseModel):
    digit: int
    confidence: float
    probs: list[float]
    model_id: str
    visual_png_b64: Optional[str] = None
    uncertain: bool


def decode(data: bytes) -> np.ndarray:
    """PNG/JPEG bytes -> uint8 grayscale, EXIF orientation applied, transparency composited onto white."""
    try:
        img = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    except Image.DecompressionBombError as e:
        raise Refused(413, "too_large", "Image has too many pixels.") from e
    except Exception as e:
        raise Refused(400, "invalid_image", "Failed to decode image.") from e
    if max(img.size) > MAX_SIDE:
        raise Refused(400, "bad_dimensions", f"Image sides must be at most {MAX_SIDE} px.")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        img = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return np.asarray(img.convert("L"), dtype=np.uint8)


def otsu(gray: np.ndarray) -> int:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    w0 = np.cumsum(hist)
    mu = np.cumsum(hist * np.arange(256))
    w1 = w0[-1] - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * w0 - mu * w0[-1]) ** 2 / (w0 * w1)
    return int(np.nanargmax(between))


def preprocess(gray: np.ndarray, invert: Optional[bool], center: bool) -> torch.Tensor:
    """Seed 004's pipeline -> a normalised 1x1x28x28 tensor, white ink on black like MNIST."""
    if invert is None:  # auto: a light border (paper) means dark ink, which MNIST wants white
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        invert = float(border.mean()) > float(gray.mean())
    img = 255 - gray if invert else gray
    t = otsu(img)
    ink = img > t
    if not ink.any() or ink.all():
        raise Refused(400, "preprocessing_failed", "No digit found.")
    # The seed keeps the largest connected component here; without scipy/cv2 on this machine the
    # crop is the box of all ink above Otsu (a little cheaper than the seed, so it flatters the reference).
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    crop = np.where(ink, img, 0)[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].astype(np.uint8)
    digit = deskew(Image.fromarray(crop))
    w, h = digit.size
    scale = 20.0 / max(w, h)  # MNIST: aspect-preserving fit into 20x20, then placed in 28x28
    digit = digit.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)
    small = np.asarray(digit, dtype=np.float32)
    sh, sw = small.shape
    if center:  # put the centre of mass at (14, 14)
        ys, xs = np.indices(small.shape)
        mass = float(small.sum()) or 1.0
        top, left = round(14 - float((ys * small).sum()) / mass), round(14 - float((xs * small).sum()) / mass)
    else:
        top, left = (28 - sh) // 2, (28 - sw) // 2
    top, left = min(max(top, 0), 28 - sh), min(max(left, 0), 28 - sw)
    canvas = np.zeros((28, 28), dtype=np.float32)
    canvas[top : top + sh, left : left + sw] = small
    return torch.from_numpy((canvas / 255.0 - MNIST_MEAN) / MNIST_STD).view(1, 1, 28, 28)


def deskew(digit: Image.Image) -> Image.Image:
    """Rotate onto the principal axis when the shape is elongated enough to trust it, capped at 10 deg."""
    a = np.asarray(digit, dtype=np.float64)
    ys, xs = np.nonzero(a)
    if len(xs) < 3:
        return digit
    cov = np.cov(np.stack([xs, ys]))
    evals = np.linalg.eigvalsh(cov)
    if evals[0] <= 0 or evals[1] / evals[0] < 1.5:
        return digit  # roundish shape: the angle is unreliable, leave it
    tilt = math.degrees(0.5 * math.atan2(2 * cov[0, 1], cov[0, 0] - cov[1, 1]))
    off_vertical = tilt - math.copysign(90.0, tilt)  # principal axis vs. the vertical
    if not 1.0 <= abs(off_vertical) <= 45.0:
        return digit  # already upright, or not a vertical stroke at all
    # PIL's positive angle turns counter-clockwise on screen, which with y pointing down is the
    # direction that brings a positive off_vertical back to 0.
    rotated = digit.rotate(max(-10.0, min(10.0, off_vertical)), Image.Resampling.BILINEAR, expand=True, fillcolor=0)
    return rotated.crop(rotated.getbbox() or (0, 0, *rotated.size))


class Cnn(nn.Module):
    """conv32-conv64-dense128, the shape of the repo's cnn-f (BatchNorm, dropout inert in eval)."""

    def __init__(self) -> None:
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32)
        self.c2, self.b2 = nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64)
        self.fc1, self.drop, self.fc2 = nn.Linear(64 * 7 * 7, 128), nn.Dropout(0.3), nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        return self.fc2(self.drop(F.relu(self.fc1(torch.flatten(x, 1)))))


class Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.c2, self.b2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.skip = nn.Sequential() if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.skip(x))


class ResNet18(nn.Module):
    """The seed's stated baseline: ResNet-18, CIFAR-style stem (3x3, no max-pool), 1 input channel."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
        widths, layers, cin = [64, 128, 256, 512], [], 64
        for i, w in enumerate(widths):
            layers += [Block(cin, w, 1 if i == 0 else 2), Block(w, w, 1)]
            cin = w
        self.layers, self.fc = nn.Sequential(*layers), nn.Linear(512, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.layers(self.stem(x)), 1), 1))


def build_app(ensemble: int, arch: str, use_mkldnn: bool) -> FastAPI:
    torch.set_num_threads(1)  # ADR-005: parallelism comes from the pool, not from intra-op threads
    models: list[nn.Module] = []
    for i in range(ensemble):
        # Random weights (fixed seed per member): only speed is measured, never accuracy.
        torch.manual_seed(1000 + i)
        model = (ResNet18() if arch == "resnet18" else Cnn()).eval()
        # Debian's python3-torch links reference BLAS (libblas3), which the batch-1 conv path
        # (im2col + sgemm) and Linear use; PyPI's wheel, which the seed's Poetry build would
        # install, has MKL there. --mkldnn routes them through oneDNN as a stand-in for that.
        models.append(torch.utils.mkldnn.to_mkldnn(model) if use_mkldnn else model)
    temperatures = [1.0] * ensemble  # per-model temperature scaling, as the seed's manifests carry
    model_id = f"ensemble_{ensemble}_models"
    threads = int(os.environ.get("APP__THREADS", "0")) or min(8, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="infer")
    app = FastAPI(title="seed004-reference")

    def read(data: bytes, invert: Optional[bool], center: bool) -> ReadResponse:
        x = preprocess(decode(data), invert, center)
        with torch.inference_mode():
            xin = x.to_mkldnn() if use_mkldnn else x
            logits = [m(xin).to_dense() if use_mkldnn else m(xin) for m in models]
            probs = torch.stack([F.softmax(z / t, dim=1)[0] for z, t in zip(logits, temperatures)]).mean(0)
        p = [float(v) for v in probs]
        digit = int(np.argmax(p))
        return ReadResponse(digit=digit, confidence=p[digit], probs=p, model_id=model_id, uncertain=p[digit] < UNCERTAIN_BELOW)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/read", response_model=ReadResponse)
    async def v1_read(file: UploadFile = File(...), invert: Optional[bool] = Form(None), center: bool = Form(True)) -> object:
        if file.content_type not in ("image/png", "image/jpeg"):
            return JSONResponse({"code": "unsupported_media_type", "message": "Only PNG and JPEG.", "request_id": "-"}, 415)
        data = await file.read()
        if len(data) > MAX_BYTES:
            return JSONResponse({"code": "too_large", "message": "File exceeds 2 MB limit.", "request_id": "-"}, 413)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, read, data, invert, center)
        except Refused as e:
            return JSONResponse({"code": e.code, "message": e.message, "request_id": "-"}, e.status)

    return app


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Seed 004 reference server (benchmark only)")
    ap.add_argument("--port", type=int, default=int(os.environ.get("APP__PORT", "8081")))
    ap.add_argument("--ensemble", type=int, default=1, help="load N copies and average their probabilities")
    ap.add_argument("--arch", choices=["cnn", "resnet18"], default="cnn")
    ap.add_argument("--mkldnn", action="store_true", help="run the models through oneDNN (see build_app)")
    ap.add_argument("--log-level", default="warning")
    args = ap.parse_args()
    uvicorn.run(build_app(args.ensemble, args.arch, args.mkldnn), host="127.0.0.1", port=args.port, workers=1, log_level=args.log_level)
