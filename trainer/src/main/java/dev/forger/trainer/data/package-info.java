/**
 * Datasets for the trainer: every format comes out as an {@link dev.forger.trainer.data.ImageSet}
 * (uint8 NCHW, labels 0..9 or -1) at the channels and size a {@link dev.forger.trainer.data.DatasetSpec}
 * asks for, through {@link dev.forger.trainer.data.Datasets#load}.
 *
 * <p>One reader per format, each documenting its order (which {@code limit} cuts):
 * {@link dev.forger.trainer.data.SvhnMatDataset} (file order),
 * {@link dev.forger.trainer.data.MnistNpmDataset} (round-robin across digits),
 * {@link dev.forger.trainer.data.MnistIdxDataset} (file order),
 * {@link dev.forger.trainer.data.ImageFolderDataset} (relative path order),
 * {@link dev.forger.trainer.data.SyntheticDigits} (labels 0..9 cycling).
 * Then {@link dev.forger.trainer.data.ImageConversions} converts channels (grey → RGB by replication,
 * RGB → grey by rounded BT.601 luma) and size ({@link dev.forger.trainer.data.ImageResizer}: scale the
 * shorter side, crop the centre). Unreadable data is a {@link dev.forger.trainer.data.DatasetException}
 * naming the file, the problem and, where there is one, the fix.
 */
package dev.forger.trainer.data;
