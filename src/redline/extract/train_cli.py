"""`redline train`: a thin shell over ``redline.extract.trained.train_from_corpus``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register_train(app: typer.Typer) -> None:
    """Add ``redline train`` to the app (called from ``redline.extract.cli.register``)."""

    @app.command("train")
    def train_cmd(
        corpus: Optional[Path] = typer.Option(None, "--corpus", help="corpus folder (default: corpus/<profile> of the repo)"),
        out: Path = typer.Option(None, "--out", help="artefact path (default: the packaged models/trained.npz)"),
        report: Optional[Path] = typer.Option(None, "--report", help="JSON report of the figures (default: beside --out)"),
        seed: int = typer.Option(13, "--seed"),
        models: str = typer.Option("two_stage,minilm_knn", "--models",
                                   help="families to compare: two_stage, sparse_lr, minilm_knn, minilm_lr"),
        sample: Optional[int] = typer.Option(None, "--sample", help="train on this many train-split articles"),
        profile: Optional[str] = typer.Option(None, "--profile"),
    ) -> None:
        """Rebuild the trained extraction model from the corpus's train split (deterministic per seed)."""
        from typing import get_args

        from redline.errors import DataError, did_you_mean
        from redline.extract.trained import DEFAULT_MODEL, ModelKind, TrainConfig, train_from_corpus
        from redline.profile import load_profile

        kinds = [m.strip() for m in models.split(",") if m.strip()]
        known = list(get_args(ModelKind))
        for kind in kinds:
            if kind not in known:
                raise DataError(f"--models: unknown model family {kind!r}: {did_you_mean(kind, known)}",
                                fix=f"use a comma-separated list of {', '.join(known)}")
        if not kinds:
            raise DataError("--models names no model family", fix=f"use a comma-separated list of {', '.join(known)}")
        if sample is not None and sample < 1:
            raise DataError("--sample must be at least 1", fix="give a number of train articles, e.g. --sample 40")
        cfg = TrainConfig(seed=seed, models=kinds, sample=sample)
        out = out or DEFAULT_MODEL
        rep = train_from_corpus(corpus, cfg, out=out, report_path=report or out.with_suffix(".json"),
                                profile=load_profile(profile), log=lambda m: typer.echo(m, err=True))
        typer.echo(rep.model_dump_json(indent=2))
