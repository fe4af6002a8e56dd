#pragma once

#include "session/analysis_result.h"
#include "trace/trace_file.h"

#include <QStringList>

#include <memory>

namespace attnscope::ui {

// The analysis result of a trace file: its text, tokens and trace, no predictions (no model ran);
// milliseconds: how long opening it took.
AnalysisResultPtr traceAnalysisResult(std::shared_ptr<const core::OpenedTrace> opened, quint64 generation = 0, double milliseconds = 0);

// Readable chips for a trace's tokens: the text each covers (offsets), else the token with its
// tokenizer's word marks ("Ġ", "▁", "##") taken off; template tokens as they are.
QStringList traceTokenLabels(const core::TraceInfo& info);

// A vision run's picture for a trace file (`image`), at most kTracePictureSide pixels a side, and back.
constexpr int kTracePictureSide = 2048;
core::TracePicture tracePicture(const QImage& image);
QImage pictureImage(const core::TracePicture& picture);

// Saves a model run shown in the window as a trace file (docs/trace-format.md): q, k and v of every
// layer, and the matrices too up to kMatricesUpTo tokens, as F32; an image run with its picture.
// A run with heads switched off or value-weighted norms shown is refused (the file would not say so).
constexpr int kMatricesUpTo = 512;
core::Status saveResultAsTrace(const QString& path, const AnalysisResult& result, const QString& model, const QString& modelType);

// Why a view cannot be drawn from this result (a trace file lacking what it needs), or empty.
// view: links, heatmap, grid, qkv, aggregate, lens, qkspace, compare or image.
QString viewUnavailable(const AnalysisResult& result, const QString& view);

}  // namespace attnscope::ui
