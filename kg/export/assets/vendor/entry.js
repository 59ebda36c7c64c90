// The libraries kg.html inlines, exposed as window.kgVendor (built into ../vendor.js by build.mjs).
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeArrowHeadProgram, EdgeClampedProgram, EdgeRectangleProgram, NodeProgram, createEdgeCompoundProgram }
  from "sigma/rendering";
import { floatColor } from "sigma/utils";
import uFuzzy from "@leeoniya/ufuzzy";

window.kgVendor = { Graph, Sigma, NodeProgram, EdgeArrowHeadProgram, EdgeClampedProgram, EdgeRectangleProgram,
                    createEdgeCompoundProgram, floatColor, uFuzzy };
