// Types of pdfjs-dist's image decoders module (the package ships none for it): the part cli/ and verifier-web/ use.
declare module 'pdfjs-dist/image_decoders/pdf.image_decoders.mjs' {
  import type { PdfjsImageDecoders } from '../core/pdf/scan-images.js';
  export const Jbig2Image: PdfjsImageDecoders['Jbig2Image'];
  export const JpxImage: PdfjsImageDecoders['JpxImage'];
  export const setVerbosityLevel: (level: number) => void;
}
